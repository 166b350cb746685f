"""A page's public address: SITE_URL and its path where SITE_URL is set (as in every link the site sends out), or
the address the request came to. The canonical link, Open Graph's og:url, the share control and the sitemap all
name a page by it, so every copy of a page gives the same one."""

from django.conf import settings
from django.http import HttpRequest


def public_address(request: HttpRequest, path: str) -> str:
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)
