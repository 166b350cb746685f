"""The admin's two-step sign-in pages, mounted under /admin/two-step/, and the same second step for restricted pages;
backup codes under Account (and, for superusers, beside each user in Users), recorded in Wagtail's history; and what
the admin needs to run under its Content-Security-Policy."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.widgets import Button

from . import views
from .two_factor import require_second_factor_for_restricted_page

two_factor_urls = [
    path("setup/", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("backup-codes/<int:user_id>/", views.backup_codes_for, name="backup_codes_for"),
]


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("two-step/", include((two_factor_urls, "two_factor")))]


hooks.register("before_serve_page", require_second_factor_for_restricted_page)


@hooks.register("register_account_menu_item")
def backup_codes_menu_item(request):
    return {
        "url": reverse("two_factor:backup_codes"),
        "label": "Backup codes",
        "help_text": "Single-use codes for signing in without your authenticator app.",
    }


@hooks.register("register_user_listing_buttons")
def issue_backup_codes_button(user, request_user):
    if not request_user.is_superuser:
        return []
    return [Button("Issue backup codes", reverse("two_factor:backup_codes_for", args=[user.pk]), priority=60)]


@hooks.register("register_log_actions")
def register_backup_code_actions(actions):
    actions.register_action("voicebox.backup_codes.issue", "Issue backup codes", "Backup codes issued")
    actions.register_action("voicebox.backup_codes.use", "Sign in with a backup code", "Signed in with a backup code")


@hooks.register("insert_global_admin_js")
def admin_choosers_js():
    # Starts Wagtail's date and time pickers without the inline scripts the admin's CSP refuses (static/js).
    return format_html('<script src="{}" defer></script>', static("js/admin_choosers.js"))
