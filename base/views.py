"""The admin's second step of signing in: set up an authenticator app, or give a code from it."""

from django import forms
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from .two_factor import next_url, pending_device, qr_code_svg, secret_for_typing, to_admin


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


@require_http_methods(["GET", "POST"])
def setup(request):
    if user_has_device(request.user):
        return verify(request)
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
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
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return to_admin(request)
        form.add_error("token", "That code did not match. Try the newest code from your authenticator app.")
    return render(request, "base/two_factor_verify.html", {"form": form, "next": next_url(request, "")})
