"""/my-story/lost-link/: ask for a fresh private link by email, and open it to get a new key (contributions.lost_link).

The asking page answers the same for every address and is rate limited per client; each email address can be asked
for only a few times an hour (beyond that nothing is sent, with the same answer, so the limit reveals nothing). The
emailed link shows a page to confirm with a button, so a mail scanner that follows links does not use it up.
"""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from base import abuse
from base.trust_pages import contact_address

from .. import lost_link
from ..keys import private

ASK_GROUP = "lost-link"
ADDRESS_GROUP = "lost-link-address"


class LostLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("The email address you gave us when you shared your story"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter the email address you gave us."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )


def _email_key(group: str, request) -> str:
    return request.POST.get("email", "").strip().lower()


@never_cache
@require_http_methods(["GET", "POST"])
def ask(request):
    form = LostLinkForm(request.POST or None)
    if request.method == "POST":
        if is_ratelimited(request, group=ASK_GROUP, key=abuse.ratelimit_key, rate=abuse.LOST_LINK_RATE, increment=True):
            raise Ratelimited()
        if form.is_valid():
            flooded = is_ratelimited(
                request, group=ADDRESS_GROUP, key=_email_key, rate=abuse.LOST_LINK_PER_EMAIL_RATE, increment=True
            )
            if not flooded:
                lost_link.ask(form.cleaned_data["email"])
            return private(render(request, "contributions/lost_link/asked.html", _help()))
    status = 400 if request.method == "POST" else 200
    return private(render(request, "contributions/lost_link/ask.html", {"form": form, **_help()}, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def open_link(request, token: str):
    """GET: confirm. POST: issue the new key and show it, once. A forged, expired or used link: a kind 400."""
    try:
        if request.method == "POST":
            _contribution, key = lost_link.issue_new_key(token)
            link = request.build_absolute_uri(reverse("contributions:my_story", args=[key]))
            return private(render(request, "contributions/lost_link/new_link.html", {"link": link}))
        lost_link.check(token)
    except lost_link.LinkNotValid:
        return private(render(request, "contributions/lost_link/not_valid.html", _help(), status=400))
    return private(render(request, "contributions/lost_link/confirm.html", {"token": token}))


def _help() -> dict:
    return {"contact_email": contact_address(), "hours": lost_link.TOKEN_MAX_AGE_SECONDS // 3600}
