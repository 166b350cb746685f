"""The contributor's side of a decline: the reason and passage, and an appeal (/my-story/<key>/appeal/)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from moderation import workflows
from moderation.models import Contribution, Decision

from ..keys import opens_story


class AppealForm(forms.Form):
    message = forms.CharField(
        label=_("Why should we look again?"),
        help_text=_("A different moderator, who took no part in the decision, will read your story and this message."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )


@opens_story
@require_http_methods(["GET", "POST"])
def appeal(request, contribution: Contribution, key: str):
    appealable = workflows.appealable_decline(contribution)
    form = AppealForm(request.POST or None) if appealable else None
    if request.method == "POST" and form is not None and form.is_valid():
        workflows.lodge_appeal(contribution, form.cleaned_data["message"])
        messages.success(request, gettext("Thank you. A different moderator will look at your story again."))
        return redirect("contributions:my_story_appeal", key=key)
    declines = contribution.decisions.filter(kind=Decision.Kind.DECLINE, status=Decision.Status.CONFIRMED)
    return render(
        request,
        "contributions/my_story/appeal.html",
        {"key": key, "contribution": contribution, "declines": declines.select_related("appeal"), "form": form},
    )
