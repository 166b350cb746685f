"""Consent expiry: a story whose contributor chose an end date stops being published on that date."""

from django.db import transaction
from django.utils import timezone

from stories.governance import publishing_under_governance

from .models import AuditEvent, Contribution, StoryStatus
from .state import latest_consent
from .workflows import record


def expired_contributions(today=None):
    """Published stories whose latest consent ends on or before `today`."""
    today = today or timezone.localdate()
    published = Contribution.objects.filter(status=StoryStatus.PUBLISHED, consents__expires_on__lte=today)
    return [
        c
        for c in published.distinct().select_related("story")
        if (consent := latest_consent(c)) and consent.expires_on and consent.expires_on <= today
    ]


def expire_consents(today=None) -> int:
    """Unpublish every story whose consent has expired; returns how many were unpublished."""
    count = 0
    for contribution in expired_contributions(today):
        with transaction.atomic():
            unpublish_for_expiry(contribution)
        count += 1
    return count


def unpublish_for_expiry(contribution: Contribution) -> None:
    take_off_the_site(contribution.story.specific)  # the contributor's consent ran out: recorded as expiry below
    contribution.status = StoryStatus.EXPIRED
    contribution.save(update_fields=["status", "status_changed_at"])
    record(contribution, AuditEvent.Action.CONSENT_EXPIRED)


def take_off_the_site(page) -> None:
    """Unpublish a story for a decision the caller records, keeping its private record: the page and the published
    copy of its recording go; the original stays private, so the story can be published again (renewed consent, an
    appeal)."""
    if page.live:
        with publishing_under_governance():
            # No user: Wagtail would check page permissions, which moderators deliberately do not hold; the
            # decision itself is recorded by the caller.
            page.unpublish(user=None, log_action=True)
    if page.media_id and page.media.published_file:
        page.media.published_file.delete(save=True)
