"""The admin's second step of signing in: set up an authenticator app, give a code from it (or a backup code), and
make backup codes."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice

from .two_factor import (
    BACKUP_CODE_COUNT,
    backup_codes_left,
    has_second_factor,
    issue_backup_codes,
    next_url,
    normalised_code,
    pending_device,
    qr_code_svg,
    record_backup_code_used,
    secret_for_typing,
    to_admin,
)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class VerifyForm(TokenForm):
    # Backup codes have letters: no numeric keyboard, and room for the space they are shown with.
    token = forms.CharField(
        label="Code from your authenticator app, or a backup code",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false", "autofocus": True}
        ),
    )


@require_http_methods(["GET", "POST"])
def setup(request):
    if has_second_factor(request.user):
        return verify(request)
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(normalised_code(form.cleaned_data["token"])):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(
                request, "Two-step sign-in is set up. In case you lose your phone, make backup codes under Account."
            )
            return to_admin(request)
        form.add_error("token", "That code did not match. Check the time on your phone and try the newest code.")
    return render(
        request,
        "base/two_factor_setup.html",
        {
            "form": form,
            "next": next_url(request, ""),
            # A QR code we drew ourselves from the device's key: no user input reaches this markup.
            "qr_code": mark_safe(qr_code_svg(device)),  # noqa: S308
            "secret": secret_for_typing(device),
        },
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, normalised_code(form.cleaned_data["token"]))
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = record_backup_code_used(device)
                messages.warning(
                    request, f"You signed in with a backup code; {left} left. You can make new ones under Account."
                )
            return to_admin(request)
        form.add_error(
            "token",
            "That code did not match. Try the newest code from your authenticator app, or a backup code you have "
            "not used yet. After a wrong code, wait a few seconds before trying again.",
        )
    return render(request, "base/two_factor_verify.html", {"form": form, "next": next_url(request, "")})


@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """The signed-in person's own backup codes: how many are left, and a new set (shown once) on request."""
    return _backup_codes_page(request, request.user)


@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes_for(request, user_id: int):
    """A superuser issues a set for someone else (who has lost their phone), to hand over in person."""
    if not request.user.is_superuser:
        # Codes are a way into the account: not for every user manager, who could also set its password.
        raise PermissionDenied
    return _backup_codes_page(request, get_object_or_404(get_user_model(), pk=user_id))


def _backup_codes_page(request, user):
    codes = issue_backup_codes(user, issued_by=request.user) if request.method == "POST" else []
    return render(
        request,
        "base/two_factor_backup_codes.html",
        {
            "page_title": "Backup codes",
            "header_icon": "key",
            "person": user,
            "for_someone_else": user != request.user,
            "codes": [f"{code[:4]} {code[4:]}" for code in codes],
            "left": backup_codes_left(user),
            "count": BACKUP_CODE_COUNT,
        },
    )
