"""The admin's two-step sign-in pages, mounted under /admin/two-step/, and the same second step for restricted pages."""

from django.urls import include, path
from wagtail import hooks

from . import views
from .two_factor import require_second_factor_for_restricted_page

two_factor_urls = [
    path("setup/", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
]


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("two-step/", include((two_factor_urls, "two_factor")))]


hooks.register("before_serve_page", require_second_factor_for_restricted_page)
