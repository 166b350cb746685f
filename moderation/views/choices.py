"""Wider choices to check: a contributor asked to show their story more widely (a name, everyone, their recording).
A light decision by anyone who reviews stories: approve (it applies everywhere) or decline (nothing changes)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import choices, roles
from ..models import ChoicesChange, ConsentRecord
from .review import forbidden_as_403

DECISIONS = {"approve": True, "decline": False}


def _require_reviewer(request) -> None:
    if not roles.can_review(request.user):
        raise PermissionDenied


@forbidden_as_403
@require_GET
def choices_queue(request):
    _require_reviewer(request)
    waiting = ChoicesChange.objects.filter(status=ChoicesChange.Status.WAITING).select_related("contribution__story")
    rows = [{"change": change, "now": _described(choices.current_choices(change.contribution))} for change in waiting]
    return render(
        request, "moderation/admin/choices_queue.html", {"page_title": "Wider choices to check", "rows": rows}
    )


def _described(now: choices.Choices) -> str:
    audience = ConsentRecord.Audience(now.audience).label
    return f"{now.shown_name or 'Anonymous'}; {audience}; {ConsentRecord.MediaUse(now.media_use).label}"


@forbidden_as_403
@require_POST
def decide_choices(request, change_id: int):
    _require_reviewer(request)
    change = get_object_or_404(ChoicesChange, pk=change_id, status=ChoicesChange.Status.WAITING)
    approve = DECISIONS.get(request.POST.get("decision", ""))
    if approve is None:
        messages.error(request, "Choose to approve or decline the change.")
        return redirect("moderation_admin:choices")
    choices.decide(change, request.user, approve=approve)
    messages.success(request, "Approved: the story now shows the new choices." if approve else "Declined.")
    return redirect("moderation_admin:choices")
