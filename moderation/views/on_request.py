"""Staff take a story down for now at its contributor's request, when the contributor has lost their link and left
no email address: only after checking the person asking is the story's contributor, recorded as a note (who checked
and how). The same taking down as the contributor's own (moderation.hiding); nothing is erased."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from .. import hiding, roles
from ..models import Contribution
from .review import forbidden_as_403


class CheckedForm(forms.Form):
    how_checked = forms.CharField(
        label="How did you check this is the contributor's story?",
        help_text="Who asked, how they reached us and what they told you that only the contributor would know. "
        "Not the story's own words. Erased with the story.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )


@forbidden_as_403
@require_http_methods(["GET", "POST"])
def take_down_on_request(request, contribution_id: int):
    if not roles.can_take_down(request.user):
        raise PermissionDenied
    contribution = get_object_or_404(Contribution, pk=contribution_id, story__isnull=False)
    possible = hiding.may_take_down_for_now(contribution)
    form = CheckedForm(request.POST or None)
    if request.method == "POST" and possible and form.is_valid():
        hiding.take_down_for_now(contribution, checked_by=request.user, how_checked=form.cleaned_data["how_checked"])
        messages.success(request, "The story is taken down for now, at its contributor's request. Nothing is erased.")
        return redirect("moderation_admin:review", contribution_id=contribution.pk)
    context = {
        "page_title": "Take down for now, on the contributor's request",
        "contribution": contribution,
        "story": contribution.story,
        "form": form,
        "possible": possible,
        "earlier": contribution.takedowns_on_request.select_related("checked_by"),
    }
    return render(
        request,
        "moderation/admin/take_down_on_request.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
