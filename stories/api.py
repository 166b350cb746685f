"""The Wagtail API v2 at /api/v2/: published stories and their public fields, nothing else.

Only live, public story pages are served, read straight from the database on each request, so a withdrawn or
expired story (unpublished) disappears at once. Drafts live in revisions, which the API never reads. The fields are
an allow-list (`StoryPage.api_fields`): the media object itself, with its private original, is never exposed; only
the link to the published copy is.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from .models import StoryPage


class StoriesAPIViewSet(PagesAPIViewSet):
    model = StoryPage
    name = "stories"

    def get_base_queryset(self):
        return StoryPage.objects.live().public().prefetch_related("themes", "content_notes").order_by("-pk")

    def get_queryset(self):
        # Whatever `type` is asked for, only published stories are ever listed.
        return self.get_base_queryset()


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("stories", StoriesAPIViewSet)
