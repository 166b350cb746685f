"""The services directory and published responses in the Wagtail API (/api/v2/services/, /api/v2/responses/).

Responses are served only while published under a story the public can read; who wrote one, its moderation and
anything declined never are: the fields are an allow-list (`api_fields`).
"""

from wagtail.api.v2.views import BaseAPIViewSet

from stories.api import BoundedPagination, api_router

from .directory import published_responses
from .models import Response, Service


class ServicesAPIViewSet(BaseAPIViewSet):
    model = Service
    body_fields = [*BaseAPIViewSet.body_fields, "name", "slug", "organisation", "area", "kind", "website"]
    listing_default_fields = [*BaseAPIViewSet.listing_default_fields, "name", "slug", "kind"]
    name = "services"
    pagination_class = BoundedPagination

    def get_queryset(self):
        return Service.objects.order_by("name", "pk")


class ResponsesAPIViewSet(BaseAPIViewSet):
    model = Response
    fields = ["story_id", "service", "role", "name", "kind", "change", "body", "published_at"]
    body_fields = [*BaseAPIViewSet.body_fields, *fields]
    listing_default_fields = [*BaseAPIViewSet.listing_default_fields, *fields]
    name = "responses"
    pagination_class = BoundedPagination

    def get_queryset(self):
        return published_responses().order_by("-published_at", "-pk")


def register() -> None:
    api_router.register_endpoint("services", ServicesAPIViewSet)
    api_router.register_endpoint("responses", ResponsesAPIViewSet)
