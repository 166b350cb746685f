"""Purging a CDN or caching proxy (FRONTEND_CACHE_PURGE_URL): Wagtail's HTTP purge, for every interface language.

Every public page is served at its English address and under /cy/, /es/..., and a CDN keeps each copy apart. Wagtail
purges a page's address in the language of whoever published or unpublished it (English in a worker), so a story
withdrawn, expired or taken down would stay readable in the other languages' copies. Here every purge, Wagtail's own
and Voicebox's, names each address in every language.
"""

from wagtail.contrib.frontend_cache.backends import HTTPBackend

from .languages import in_every_language


class EveryLanguageMixin:
    """For a backend whose batch purge is one purge per address (Wagtail's BaseBackend, as HTTPBackend has)."""

    def purge(self, url) -> None:
        for address in in_every_language(url):
            super().purge(address)


class EveryLanguageHTTPBackend(EveryLanguageMixin, HTTPBackend):
    pass
