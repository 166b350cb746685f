"""The Wagtail API v2 at /api/v2/: published stories and their public fields, nothing else.

Only live, public story pages are served, read straight from the database on each request, so a withdrawn or
expired story (unpublished) disappears at once. Drafts live in revisions, which the API never reads. The fields are
an allow-list (`StoryPage.api_fields`): the media object itself, with its private original, is never exposed; only
the link to the published copy is.

Malformed parameters get a 400 or an empty list, never a server error: searches are given their words alone, the
tree filters name any live public page (the story index above all, which Wagtail's own filters look for among the
stories, and fail), and ids and offsets are checked to fit the database's integers first.
"""

from types import SimpleNamespace

from django.http import Http404
from wagtail.api.utils import get_full_url
from wagtail.api.v2.filters import BaseFilterBackend, ChildOfFilter, DescendantOfFilter, SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page

from .ids import MAX_ID, parse_id
from .models import StoryPage
from .search import words_query


class StorySearchFilter(SearchFilter):
    """Wagtail's ?search=, given only the query's words; a query without any finds nothing."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        params = request.GET.copy()
        params["search"] = words_query(params["search"])
        if not params["search"]:
            return queryset.none()
        # Wagtail's filter reads nothing of the request but its parameters.
        return super().filter_queryset(SimpleNamespace(GET=params), queryset, view)


class TreeFilter(BaseFilterBackend):
    """?child_of= / ?descendant_of=: stories under a live public page, named by id (or "root")."""

    parameter: str

    def filter_queryset(self, request, queryset, view):
        if self.parameter not in request.GET:
            return queryset
        value = request.GET[self.parameter]
        if value == "root":
            return self.narrow(queryset, view.get_root_page())
        page_id = parse_id(value)
        if page_id is None:
            raise BadRequestError(f"{self.parameter} must be a page id")
        page = Page.objects.live().public().filter(pk=page_id).first()
        if page is None:
            raise BadRequestError(f"{self.parameter} names no published page")
        return self.narrow(queryset, page)

    def narrow(self, queryset, page: Page):
        raise NotImplementedError


class StoryChildOfFilter(TreeFilter):
    parameter = "child_of"

    def narrow(self, queryset, page):
        queryset = queryset.child_of(page)
        queryset._filtered_by_child_of = page  # as Wagtail's own filter marks it, for ?descendant_of= to refuse both
        return queryset


class StoryDescendantOfFilter(TreeFilter):
    parameter = "descendant_of"

    def narrow(self, queryset, page):
        if hasattr(queryset, "_filtered_by_child_of"):
            raise BadRequestError("filtering by descendant_of with child_of is not supported")
        return queryset.descendant_of(page)


# What Wagtail's filters become here; the rest of its list (fields, ordering, locale...) is kept as it is.
_OUR_FILTERS = {
    ChildOfFilter: StoryChildOfFilter,
    DescendantOfFilter: StoryDescendantOfFilter,
    SearchFilter: StorySearchFilter,
}


class BoundedPagination(WagtailPagination):
    """Wagtail's pagination, with an offset past the database's integers answered 400 rather than 500."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0")
        # The database is asked for rows offset to offset + limit: both must fit its integers.
        if offset.isascii() and offset.isdigit() and int(offset) > MAX_ID // 2:
            raise BadRequestError(f"offset is past the last {queryset.model._meta.verbose_name}")
        return super().paginate_queryset(queryset, request, view)


class PageLinkField(PageHtmlUrlField):
    """A page's public address at the configured site address (Wagtail's own uses the Site record's host)."""

    def to_representation(self, page):
        url = page.get_url(request=self.context["request"])
        return get_full_url(self.context["request"], url) if url else None


class StorySerializer(PageSerializer):
    html_url = PageLinkField(read_only=True)


class StoriesAPIViewSet(PagesAPIViewSet):
    model = StoryPage
    name = "stories"
    base_serializer_class = StorySerializer
    filter_backends = [_OUR_FILTERS.get(backend, backend) for backend in PagesAPIViewSet.filter_backends]
    pagination_class = BoundedPagination

    def get_base_queryset(self):
        return StoryPage.objects.live().public().prefetch_related("themes", "content_notes").order_by("-pk")

    def get_queryset(self):
        # Whatever `type` is asked for, only published stories are ever listed.
        return self.get_base_queryset()

    def detail_view(self, request, pk):
        if pk > MAX_ID:
            raise Http404("not found")
        return super().detail_view(request, pk)

    def find_object(self, queryset, request):
        if "id" in request.GET and parse_id(request.GET["id"]) is None:
            return None  # not found
        return super().find_object(queryset, request)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("stories", StoriesAPIViewSet)
