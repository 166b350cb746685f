"""Two-factor authentication for everyone who signs in to the admin (django-otp, TOTP authenticator apps).

After the password, the admin asks for a code from an authenticator app; someone without one is taken to set it up
first. Until they have given a code in this session, every admin page sends them back here, and so does every story
restricted to signed-in users or groups: a password alone must not open what the admin's two steps guard. Wagtail's
own password-only sign-in for restricted pages (/_util/login/) is replaced by the admin's two-step one.

Backup codes (django-otp's static tokens) stand in for the app: each works once, and they are shown only when they are
made, to the person themselves or to the superuser who issues them.
"""

import base64

import segno
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log
from wagtail.models import PageViewRestriction

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10


def _exempt_paths() -> tuple[str, ...]:
    # Signing in and out, the two-factor pages themselves, and what the admin's own pages load (the icon sprite it
    # pastes into every page and the translations catalogue its scripts read) must work before the second factor.
    return (
        reverse("wagtailadmin_sprite"),
        reverse("wagtailadmin_javascript_catalog"),
        reverse("wagtailadmin_login"),
        reverse("wagtailadmin_logout"),
        reverse("admin:login"),
        reverse("admin:logout"),
        reverse("two_factor:setup"),
        reverse("two_factor:verify"),
        reverse("wagtailadmin_password_reset"),
        settings.STATIC_URL,
    )


class RequireTwoFactorMiddleware:
    """Admin pages need a verified second factor; signed-in users without one are sent to verify or set it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == reverse("wagtailcore_login"):
            # Wagtail's view-restriction sign-in asks for a password only; send people to the two-step one instead.
            return redirect_to_login(next_url(request, "/"), reverse("wagtailadmin_login"))
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith(ADMIN_PREFIXES)
            and not user.is_verified()
            and not request.path.startswith(_exempt_paths())
        ):
            return to_second_step(request)
        return self.get_response(request)


def to_second_step(request):
    """Send a signed-in user who has not given their second factor to give it (or set it up), then come back."""
    step = "verify" if has_second_factor(request.user) else "setup"
    return redirect(f"{reverse(f'two_factor:{step}')}?next={request.get_full_path()}")


def require_second_factor_for_restricted_page(page, request, serve_args, serve_kwargs):
    """A `before_serve_page` hook: a page restricted to signed-in users or groups also needs the second factor.

    Wagtail's own check (which runs after this) accepts any signed-in session, including one that has given only the
    password; the visitor who is not signed in at all is left to Wagtail, which sends them to sign in.
    """
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    signed_in_kinds = {PageViewRestriction.LOGIN, PageViewRestriction.GROUPS}
    if any(r.restriction_type in signed_in_kinds for r in page.get_view_restrictions()):
        return to_second_step(request)
    return None


def next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator this user is setting up (made once, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The authenticator's address as an inline SVG QR code (drawn on the server: no script, no outside request)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for people who type it instead of scanning."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def to_admin(request):
    return redirect(next_url(request, reverse("wagtailadmin_home")))


def has_second_factor(user) -> bool:
    """An authenticator app set up, or backup codes left to use (a set of used-up codes is not a way in)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists() or backup_codes_left(user) > 0


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def issue_backup_codes(user, issued_by) -> list[str]:
    """A new set of single-use backup codes for `user`, replacing any earlier set; returned once, for showing.

    The audit trail (Wagtail's history) records who issued a set for whom and how many, never the codes.
    """
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    log(instance=user, action="voicebox.backup_codes.issue", user=issued_by, data={"count": len(codes)})
    return codes


def record_backup_code_used(device: StaticDevice) -> int:
    """Note in Wagtail's history that `device`'s owner signed in with a backup code; how many they have left."""
    # The device's user, not request.user: Wagtail's history skips a user wrapped twice in lazy objects (django-otp's).
    user = device.user
    left = backup_codes_left(user)
    log(instance=user, action="voicebox.backup_codes.use", user=user, data={"left": left})
    return left


def normalised_code(typed: str) -> str:
    """What people type, as the devices compare it: backup codes are shown in lower case in two groups of four."""
    return "".join(typed.split()).replace("-", "").lower()
