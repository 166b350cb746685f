"""Publishing a story under governance: only what the contributor agreed to reaches the public.

Wagtail calls `finish_workflow` (through moderation.workflow_finish) when the last workflow task is approved;
that is the only way a story is published. It applies the contributor's consent (identity, "my words, not my
voice", audience), the redactions they accepted, the confirmed transcript and a metadata-free copy of the media,
then publishes that revision.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.workflows import publish_workflow_state

from stories.models import StoryPage

from . import notifications, redaction, roles
from .models import AuditEvent, ConsentRecord, Contribution, EditProposal, Redaction, StoryStatus
from .state import latest_consent
from .workflows import record


def finish_workflow(workflow_state, user=None) -> None:
    """The workflow's finish action: stories publish under governance, any other page as Wagtail would."""
    obj = workflow_state.content_object
    contribution = Contribution.objects.filter(story_id=obj.pk).first() if isinstance(obj, Page) else None
    if contribution is None:
        publish_workflow_state(workflow_state, user=user)
        return
    publish_story(contribution, user=user)


def accepted_redactions(contribution: Contribution) -> list[Redaction]:
    return list(
        Redaction.objects.filter(proposal__contribution=contribution, proposal__status__in=EditProposal.APPLIED)
    )


@transaction.atomic
def publish_story(contribution: Contribution, user=None) -> StoryPage:
    consent: ConsentRecord = latest_consent(contribution)
    page = contribution.story.specific.get_latest_revision_as_object()
    redactions = accepted_redactions(contribution)

    redaction.apply_redactions(page, redactions)
    if consent.identity == ConsentRecord.Identity.ANONYMOUS:
        page.display_name = ""
    page.show_media = bool(page.media_id) and consent.media_use == ConsentRecord.MediaUse.PUBLISH_MEDIA
    if page.media_id:
        if page.show_media:
            redaction.make_redacted_media_copy(page.media, redactions)
        elif page.media.published_file:
            # "My words, not my voice": no public copy of the recording exists at all.
            page.media.published_file.delete(save=True)

    revision = page.save_revision(user=user, log_action=False)
    # The workflow's approval is the permission to publish: moderators have no direct publish permission.
    revision.publish(user=user, skip_permission_checks=True)
    _restrict_audience(page, consent)

    contribution.status = StoryStatus.PUBLISHED
    contribution.published_at = timezone.now()
    contribution.save(update_fields=["status", "published_at", "status_changed_at"])
    record(contribution, AuditEvent.Action.PUBLISHED, user)
    if redactions:
        record(contribution, AuditEvent.Action.PUBLISHED_WITH_EDITS, user)
    preauthorised = contribution.proposals.filter(status=EditProposal.Status.PREAUTHORISED).exists()
    notifications.notify(contribution, "published", redactions=redactions, preauthorised=preauthorised)
    return page


def _restrict_audience(page: StoryPage, consent: ConsentRecord) -> None:
    """A story for researchers only is published behind the Researchers group, never to the public."""
    if consent.audience != ConsentRecord.Audience.RESEARCHERS:
        return
    restriction, _ = PageViewRestriction.objects.get_or_create(
        page=page, defaults={"restriction_type": PageViewRestriction.GROUPS}
    )
    restriction.restriction_type = PageViewRestriction.GROUPS
    restriction.save()
    restriction.groups.set(Group.objects.filter(name=roles.RESEARCHERS))
