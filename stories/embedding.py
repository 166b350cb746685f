"""Embedding: the only pages another site may frame (a story's player and transcript at /embed/stories/<id>/), and
the oEmbed answer (/oembed/) that lets a CMS embed a story from its address alone.

Every other page refuses to be framed (X-Frame-Options DENY and `frame-ancestors 'none'`, settings). An embed page
lifts both for itself only, to the sites EMBED_FRAME_ANCESTORS names; its policy is otherwise the strict one (no
inline script or style). Only live, public stories are embedded or described: anything else is the same 404.

Other apps embed their own public pages (curated: collections) by registering a Wagtail hook
`oembed_for_path(request, path) -> Embeddable | None`, so the core names none of them.
"""

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import format_html
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.models import Page, Site

from base.languages import english_path, language_of

from .models import StoryPage

OEMBED_HOOK = "oembed_for_path"
# The frame's size when the consumer asks for none: room for a player and a few lines of transcript.
DEFAULT_WIDTH, DEFAULT_HEIGHT = 640, 480
# How long a consumer may keep an answer: short, so a story taken down soon stops being embedded anew.
OEMBED_CACHE_AGE = 300


@dataclass(frozen=True)
class Embeddable:
    """What oEmbed says of a public page that has an embed: its title, who it is by, and the embed page's path."""

    title: str
    author_name: str
    embed_path: str


def framable(view):
    """Let a view's pages be framed by the sites EMBED_FRAME_ANCESTORS names (and only those views)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True
        response._csp_replace = {
            **(getattr(response, "_csp_replace", None) or {}),
            "frame-ancestors": settings.EMBED_FRAME_ANCESTORS,
        }
        return response

    return wrapped


def public_story(page_id: int) -> StoryPage:
    return get_object_or_404(StoryPage.objects.live().public().select_related("media"), pk=page_id)


@require_safe
@framable
def embed_story(request, page_id: int):
    """A story's player and transcript, with a link to its page; nothing else of the site."""
    return TemplateResponse(request, "stories/embed_story.html", {"page": public_story(page_id)})


@require_safe
def oembed(request):
    """oEmbed (https://oembed.com) for a public story's address, or another app's embeddable page: a `rich` answer
    whose html is an iframe of the embed page. JSON only (XML: 501); 404 for anything not public or not ours."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse("Only format=json is offered.", status=501, content_type="text/plain; charset=utf-8")
    found = _embeddable(request, request.GET.get("url", ""))
    if found is None:
        raise Http404("Nothing public to embed at this address.")
    width = _bounded(request.GET.get("maxwidth"), DEFAULT_WIDTH)
    height = _bounded(request.GET.get("maxheight"), DEFAULT_HEIGHT)
    source = request.build_absolute_uri(found.embed_path)
    iframe = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" style="border:0"></iframe>',
        source,
        width,
        height,
        found.title,
    )
    answer = {
        "version": "1.0",
        "type": "rich",
        "title": found.title,
        "author_name": found.author_name,
        "provider_name": settings.WAGTAIL_SITE_NAME,
        "provider_url": request.build_absolute_uri("/"),
        "cache_age": OEMBED_CACHE_AGE,
        "html": iframe,
        "width": width,
        "height": height,
    }
    response = JsonResponse(answer)
    response["Cache-Control"] = f"public, max-age={OEMBED_CACHE_AGE}"
    return response


def _embeddable(request, url: str) -> Embeddable | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not _is_ours(request, parts.hostname or ""):
        return None
    path = parts.path or "/"
    # An address in any interface language (/cy/stories/...) is read, and embedded, in that language.
    with translation.override(language_of(path)):
        for answer in hooks.get_hooks(OEMBED_HOOK):
            if found := answer(request, path):
                return found
        story = _story_at(request, path)
        if story is None:
            return None
        return Embeddable(story.title, story.byline, reverse("stories:embed_story", args=[story.pk]))


def _story_at(request, path: str) -> StoryPage | None:
    """The live, public story at a story page's address or its embed's, else None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name == "stories:embed_story":
        page_id = match.kwargs["page_id"]
    else:
        page = Page.find_for_request(request, english_path(path))
        page_id = page.pk if page is not None else None
    return StoryPage.objects.live().public().filter(pk=page_id).first() if page_id else None


def _is_ours(request, hostname: str) -> bool:
    ours = {request.get_host().split(":")[0], urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname}
    ours.update(Site.objects.values_list("hostname", flat=True))
    return hostname.lower() in {name.lower() for name in ours if name}


def _bounded(value: str | None, default: int) -> int:
    """A consumer's maxwidth or maxheight: the default, or less when it asks for less (nonsense is ignored)."""
    if value and value.isascii() and value.isdigit():
        return max(1, min(int(value[:6]), default))
    return default
