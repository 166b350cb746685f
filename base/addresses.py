"""A page's public address: SITE_URL and its path where SITE_URL is set (as in every link the site sends out), or
the address the request came to. The canonical link, Open Graph's og:url, the share control and the sitemap all
name a page by it, so every copy of a page gives the same one."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest

# The only query parameters a public page may vary by (a list's filters and page): the public page cache keys a
# stored page by them (stories.page_cache), and links that keep a page's query (the language switcher) keep only
# these, so nothing else in an address can reach a page stored for everyone.
PAGE_QUERY_PARAMS = ("theme", "format", "language", "perspective", "page")


def page_query(request: HttpRequest) -> str:
    """The part of the request's query a public page may vary by, "?theme=..." (or "")."""
    kept = [(name, request.GET[name]) for name in PAGE_QUERY_PARAMS if name in request.GET]
    return f"?{urlencode(kept)}" if kept else ""


def public_address(request: HttpRequest, path: str) -> str:
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)
