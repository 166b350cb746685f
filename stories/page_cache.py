"""Full-page caching of anonymous public pages, with holes for the parts that differ per reader.

A public page is rendered once and stored; later anonymous readers get the stored HTML with the per-reader part
(the "I've experienced this too" count, and the button or a thank-you) filled in at serving time. Any change
to public content moves its generation on (stories/generation.py), so every process agrees at once whatever the
cache backend: per-process local memory by default (several web workers, and a task worker that unpublishes expired
stories), or a shared Redis.

Views opt in with `mark_cacheable(response)`. An opted-in view may vary only on the path, the interface language,
the query parameters in `base.addresses.PAGE_QUERY_PARAMS` and the reader's hidden content notes (a cookie):
nothing else is in the cache key.
"""

import hashlib
import re
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished

from base.addresses import page_query

from .content import ContentNote, Theme
from .generation import CACHE_TIMEOUT, current_generation, invalidate
from .listing import ReaderPreferences
from .reactions import render_experienced_too

# Requests carrying these cookies may see something personal (a signed-in editor, a flash message): never cached.
_PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
_HOLE = re.compile(rb"<!--vb-hole:([a-z-]+):([0-9]*)-->")
_HOLE_MARK = b"<!--vb-hole:"

HoleRenderer = Callable[[HttpRequest, str], str]
_HOLE_RENDERERS: dict[str, HoleRenderer] = {}


def mark_cacheable(response: HttpResponse) -> HttpResponse:
    response.public_page_cache = True
    return response


def rendering_for_cache(request: HttpRequest) -> bool:
    """True while a page that may be stored is rendered: templates then leave holes instead of per-reader parts."""
    return getattr(request, "public_page_cache", False)


def hole(name: str, argument: int | str = "") -> str:
    return f"<!--vb-hole:{name}:{argument}-->"


def hole_renderer(name: str):
    def register(function: HoleRenderer) -> HoleRenderer:
        _HOLE_RENDERERS[name] = function
        return function

    return register


@hole_renderer("experienced")
def _experienced_too(request: HttpRequest, argument: str) -> str:
    return render_experienced_too(request, int(argument))


def fill_holes(request: HttpRequest, content: bytes) -> bytes:
    if _HOLE_MARK not in content:
        return content
    return _HOLE.sub(lambda match: _HOLE_RENDERERS[match[1].decode()](request, match[2].decode()).encode(), content)


def _invalidate_if_live(instance, **kwargs) -> None:
    if instance.live:
        invalidate()


def connect_invalidation() -> None:
    """Invalidate on publish, edit, unpublish (withdrawal, expiry) and delete, and on anything pages show."""
    page_published.connect(invalidate, dispatch_uid="public-cache-published")
    page_unpublished.connect(invalidate, dispatch_uid="public-cache-unpublished")
    page_slug_changed.connect(invalidate, dispatch_uid="public-cache-slug")
    for model in apps.get_models():
        if issubclass(model, Page):
            post_save.connect(_invalidate_if_live, sender=model, dispatch_uid=f"public-cache-save-{model._meta.label}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"public-cache-delete-{model._meta.label}")
        elif issubclass(model, Theme | ContentNote | BaseGenericSetting | BaseSiteSetting):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"public-cache-save-{model._meta.label}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"public-cache-delete-{model._meta.label}")


def _cache_key(request: HttpRequest) -> str:
    params = page_query(request)
    hidden = ReaderPreferences.from_request(request).cookie_value
    # The language is in the path too (/cy/...); it is named so that no way of choosing it can share a stored page.
    identity = f"{request.scheme}://{request.get_host()}|{get_language()}|{request.path}|{params}|{hidden}"
    return "public-page:" + hashlib.sha256(identity.encode()).hexdigest()


class PublicPageCacheMiddleware:
    """Serve stored copies of opted-in public pages to anonymous readers; store them on the first request.

    Sits inside the security and CSP middleware, so stored pages get fresh headers on every response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or any(name in request.COOKIES for name in _PERSONAL_COOKIES):
            return self.get_response(request)
        key = _cache_key(request)
        stored = cache.get(key)
        generation = current_generation()
        if stored is not None and stored[0] == generation:
            _, content_type, content = stored
            response = HttpResponse(fill_holes(request, content), content_type=content_type)
            response["X-Voicebox-Cache"] = "hit"
            return response

        request.public_page_cache = True
        response = self.get_response(request)
        # A response setting a cookie is someone's own: never stored.
        storable = response.status_code == 200 and not response.streaming and not response.cookies
        if storable and getattr(response, "public_page_cache", False):
            cache.set(key, (generation, response["Content-Type"], response.content), CACHE_TIMEOUT)
            response["X-Voicebox-Cache"] = "miss"
        if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
            response.content = fill_holes(request, response.content)
        return response
