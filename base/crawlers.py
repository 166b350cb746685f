"""What search engines and other crawlers are told: robots.txt and the sitemap.

The sitemap is Wagtail's: the live pages of the site anyone may see (`live().public()`), so drafts, stories taken
down, past their consent's end date or withdrawn, and stories restricted to researchers or signed-in people are
never in it. Its addresses are public addresses (base.addresses), like the pages' canonical links, each with the same
page in every interface language beside it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from .addresses import public_address
from .languages import english_path, in_language


class PublicSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        # A page has no address while this process holds an old list of the sites' root pages (Wagtail caches it;
        # the local-memory cache is per process, so a root changed by another process is seen here only later).
        urls = [url for url in super()._urls(page, protocol, domain) if url["location"]]
        for url in urls:
            path = english_path(urlsplit(url["location"]).path)
            url["location"] = public_address(self.request, path)
            # The same page in every interface language, as its own hreflang links say (Django's sitemap template).
            url["alternates"] = [
                {"lang_code": code, "location": public_address(self.request, in_language(path, code))}
                for code, _name in settings.LANGUAGES
            ] + [{"lang_code": "x-default", "location": url["location"]}]
        return urls


@require_safe
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": PublicSitemap})


@require_safe
def robots_txt(request):
    context = {"sitemap_url": public_address(request, reverse("sitemap"))}
    return render(request, "base/robots.txt", context, content_type="text/plain; charset=utf-8")
