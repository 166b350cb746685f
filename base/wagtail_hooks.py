"""The admin's two-step sign-in pages, mounted under /admin/two-step/, and the same second step for restricted pages;
and what the admin needs to run under its Content-Security-Policy."""

from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html
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


@hooks.register("insert_global_admin_js")
def admin_choosers_js():
    # Starts Wagtail's date and time pickers without the inline scripts the admin's CSP refuses (static/js).
    return format_html('<script src="{}" defer></script>', static("js/admin_choosers.js"))
