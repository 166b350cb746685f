"""Public pages of one emerging theme: its published stories, and their feed. Hidden themes are not found."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext

from stories.feeds import FEED_ITEMS, StoriesFeed
from stories.listing import paginate
from stories.models import StoryPage

from .models import EmergingTheme
from .public import public_emerging_themes


def _public_theme(pk: int) -> EmergingTheme:
    return get_object_or_404(EmergingTheme.objects.shown_publicly(), pk=pk)


def _theme_stories(theme: EmergingTheme):
    return StoryPage.objects.published().filter(emerging_theme_membership__theme=theme)


def emerging_theme(request, pk: int):
    theme = _public_theme(pk)
    item = next(item for item in public_emerging_themes() if item["theme"].pk == theme.pk)
    return render(
        request,
        "research/emerging_theme.html",
        {"theme": item["theme"], "chart": item["chart"], "stories": paginate(request, _theme_stories(theme))},
    )


class EmergingThemeFeed(StoriesFeed):
    """The newest published stories in one emerging theme."""

    def get_object(self, request, pk):
        super().get_object(request)
        return _public_theme(pk)

    def title(self, theme: EmergingTheme) -> str:
        return gettext("Voicebox stories: %(theme)s") % {"theme": theme.public_display_name}

    def description(self, theme: EmergingTheme) -> str:
        return theme.description or gettext("Stories that say alike things, grouped from their own words.")

    def link(self, theme: EmergingTheme) -> str:
        return reverse("research:emerging_theme", args=[theme.pk])

    def items(self, theme: EmergingTheme):
        return _theme_stories(theme)[:FEED_ITEMS]
