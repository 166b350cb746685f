from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from base import crawlers
from stories.api import api_router

urlpatterns = [
    path("robots.txt", crawlers.robots_txt, name="robots_txt"),
    path("sitemap.xml", crawlers.sitemap, name="sitemap"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Public (MEDIA_ROOT) files only; private story media is never under MEDIA_ROOT.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Everything people read and fill in, in English at its own address and in each other language under /<code>/.
urlpatterns += i18n_patterns(
    path("", include("contributions.urls")),
    path("", include("moderation.urls")),
    path("", include("curated.urls")),
    path("", include("stories.urls")),
    path("", include("research.urls")),
    path("", include("services.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
