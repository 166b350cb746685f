"""Staff take a published story down only as a recorded decision under the published policy.

A staff moderator (or superuser) names a decline reason from the closed list, quotes the passage and writes a note:
the story is unpublished under governance, the decision is kept for the contributor to read and appeal, the audit log
and the public report count it, and the contributor is told. Peer moderators cannot take a story down.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from . import notifications, roles
from .expiry import take_off_the_site
from .models import AuditEvent, Contribution, Decision, StoryStatus
from .workflows import record


def may_take_down(contribution: Contribution, user) -> bool:
    return contribution.status == StoryStatus.PUBLISHED and roles.can_take_down(user)


@transaction.atomic
def take_down(contribution: Contribution, user, code: str, passage: str, note: str) -> Decision:
    """Unpublish a published story for a policy reason. The decision is a confirmed decline, so the contributor sees
    why and may appeal it to someone who took no part."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if not may_take_down(contribution, user):
        raise PermissionDenied
    decision = Decision.objects.create(
        contribution=contribution,
        kind=Decision.Kind.DECLINE,
        code=code,
        passage=passage,
        note=note,
        made_by=user,
        # A staff decision on a story already public, taken at once to protect someone: the appeal is its second look.
        status=Decision.Status.CONFIRMED,
        second_at=timezone.now(),
    )
    take_off_the_site(contribution.story.specific)
    contribution.status = StoryStatus.DECLINED
    contribution.save(update_fields=["status", "status_changed_at"])
    record(contribution, AuditEvent.Action.TAKEN_DOWN, user, code)
    notifications.notify(contribution, "taken_down", decision=decision)
    return decision
