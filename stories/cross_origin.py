"""Token-free protection from cross-site requests, for the one form every public story page carries.

The "I've experienced this too" form sits in pages served from the public page cache. With Django's CSRF token in
it, every first-time reader would be given a CSRF cookie (a cookie for merely reading a story) and every page would
need a fresh token, the most expensive part of serving it. Instead, as Go's `net/http.CrossOriginProtection` does,
the browser's own headers say where a request comes from: `Sec-Fetch-Site` (all current browsers) or, failing
that, `Origin`. A form posted from another site is refused; a request with neither header is not from a browser
acting for a reader on another site, and is allowed.
"""

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import get_callable
from django.views.decorators.csrf import csrf_exempt

_FROM_THIS_SITE = ("same-origin", "none")  # "none": the reader's own action, such as a bookmark


def is_cross_origin(request: HttpRequest) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in _FROM_THIS_SITE
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return False
    parts = urlsplit(origin)
    return (parts.scheme, parts.netloc) != (request.scheme, request.get_host())


def same_origin_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse requests another site's page made the reader's browser send, with the site's usual CSRF page."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if is_cross_origin(request):
            return get_callable(settings.CSRF_FAILURE_VIEW)(request, reason="The request came from another site.")
        return view(request, *args, **kwargs)

    return csrf_exempt(checked)
