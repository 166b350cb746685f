from django.conf import settings
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
    path("", include("contributions.urls")),
    path("", include("moderation.urls")),
    path("", include("curated.urls")),
    path("", include("stories.urls")),
    path("", include("research.urls")),
    path("", include("services.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Public (MEDIA_ROOT) files only; private story media is never under MEDIA_ROOT.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
