"""A feed per service: the newest published stories about it, as the themes' feeds are built."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext

from stories.feeds import FEED_ITEMS, StoriesFeed

from .directory import stories_about
from .models import Service


class ServiceStoriesFeed(StoriesFeed):
    def get_object(self, request, slug):
        super().get_object(request)
        return get_object_or_404(Service, slug=slug)

    def title(self, service: Service) -> str:
        return gettext("Voicebox stories about %(service)s") % {"service": service.name}

    def description(self, service: Service) -> str:
        return gettext("Published stories about %(service)s, told in people's own words.") % {"service": service.name}

    def link(self, service: Service) -> str:
        return reverse("services:detail", args=[service.slug])

    def items(self, service: Service):
        return stories_about(service)[:FEED_ITEMS]
