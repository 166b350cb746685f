from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from base.languages import local_path
from base.sections import THEME_INDEX_SECTIONS, rendered_sections

from . import media_delivery
from .captions import webvtt
from .cross_origin import same_origin_only
from .listing import HIDDEN_NOTES_COOKIE, ReaderPreferences, StoryFilters, paginate
from .models import ContentNote, StoryPage, Theme
from .page_cache import mark_cacheable
from .reactions import count_once
from .search import best_passage, clean_query, search_stories

SEARCH_RESULTS_PER_PAGE = 10
READING_PREFERENCES_MAX_AGE = 60 * 60 * 24 * 365


def rate_limited(request, exception=None):
    """Shown when a client has made too many requests; kind words and a time to come back."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


# --- Public pages: themes, search, reading preferences, "I've experienced this too" -------------------------------


def theme_index(request):
    """All themes, with how many published stories each has, then what other apps add (emerging themes)."""
    live_story = Q(stories__live=True)
    themes = Theme.objects.annotate(story_count=Count("stories", filter=live_story, distinct=True))
    context = {
        "curated_themes": [theme for theme in themes if theme.origin == Theme.Origin.CURATED],
        "suggested_themes": [theme for theme in themes if theme.origin == Theme.Origin.SUGGESTED],
        "more_sections": rendered_sections(THEME_INDEX_SECTIONS, request),
    }
    return mark_cacheable(TemplateResponse(request, "stories/theme_index.html", context))


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    filters = StoryFilters.from_request(request, languages=StoryPage.objects.published_languages, theme=theme.slug)
    stories_page = paginate(request, filters.apply(StoryPage.objects.published()))
    context = {"theme": theme, "filters": filters, "stories_page": stories_page}
    return mark_cacheable(TemplateResponse(request, "stories/theme_page.html", context))


def search(request):
    """Search results are not kept in the page cache: every query is different, and any text could fill the cache."""
    query = clean_query(request.GET.get("q", ""))
    filters = StoryFilters.from_request(request, languages=StoryPage.objects.published_languages)
    results_page, hits = None, []
    if query:
        results_page = paginate(
            request, search_stories(query, filters, get_language()), per_page=SEARCH_RESULTS_PER_PAGE
        )
        hits = [(story, best_passage(story, query)) for story in results_page]
    context = {
        "query": query,
        "filters": filters,
        "results_page": results_page,
        "hits": hits,
        "search_querystring": filters.querystring(q=query),
    }
    return TemplateResponse(request, "stories/search.html", context)


def _safe_next(request, fallback: str = "/stories/") -> str:
    fallback = local_path(fallback)
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def reading_preferences(request):
    """Let a reader hide stories with given content notes from lists, on this device (a cookie, no account)."""
    preferences = ReaderPreferences.from_request(request)
    if request.method == "POST":
        chosen = ReaderPreferences.from_slugs(request.POST.getlist("hide"))
        response = redirect(_safe_next(request))
        if chosen.hidden_notes:
            response.set_cookie(
                HIDDEN_NOTES_COOKIE,
                chosen.cookie_value,
                max_age=READING_PREFERENCES_MAX_AGE,
                samesite="Lax",
                httponly=True,
                secure=request.is_secure(),
            )
        else:
            response.delete_cookie(HIDDEN_NOTES_COOKIE, samesite="Lax")
        return response
    context = {
        "content_notes": ContentNote.objects.all(),
        "hidden": set(preferences.hidden_notes),
        "next": _safe_next(request),
    }
    return TemplateResponse(request, "stories/reading_preferences.html", context)


@same_origin_only
@require_POST
@ratelimit(key="ip", rate="30/h", method="POST")
def experienced_too(request, story_id):
    """Count one "I've experienced this too" for a published story, once per browser; works without JavaScript."""
    story = get_object_or_404(StoryPage.objects.live().public(), pk=story_id)
    response = HttpResponseRedirect(f"{story.url}#experienced-too")
    response.status_code = 303  # "See other": the browser follows with a GET
    count_once(request, response, story.pk)
    return response


# --- Story media: the published copy for everyone, the private original for the story's reviewers -----------------


@require_safe
def published_media(request, page_id: int, filename: str):
    """A live story's published media (Range requests for seeking); 404 for anything that isn't public."""
    return media_delivery.serve_media(
        request, media_delivery.published_media(page_id, filename), cache_control=media_delivery.PUBLIC_CACHE_CONTROL
    )


@require_safe
def staff_media(request, media_id: int):
    """The private original, for the review screen and wagtailmedia's admin; 404 for anyone who may not review it."""
    return media_delivery.serve_media(
        request, media_delivery.original_media(media_id, request.user), cache_control=media_delivery.STAFF_CACHE_CONTROL
    )


# --- Captions --------------------------------------------------------------------------------------------------

# Short, so a withdrawn or re-edited story's captions do not linger in caches.
CAPTIONS_MAX_AGE = 300


@require_GET
def captions(request, page_id: int) -> HttpResponse:
    """WebVTT of the published transcript (the confirmed, moderated one copied onto the live page), else 404."""
    story = StoryPage.objects.live().public().filter(pk=page_id).only("pk", "transcript").first()
    if story is None or not story.transcript:
        raise Http404("No captions for this story.")
    response = HttpResponse(webvtt(story.transcript), content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={CAPTIONS_MAX_AGE}"
    return response
