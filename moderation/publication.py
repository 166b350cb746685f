"""Publishing a story under governance: only what the contributor agreed to reaches the public.

Only two things publish: the workflow's decision, and the contributor accepting proposed edits (which approves the
workflow's last task). Either way Wagtail calls `finish_workflow` (through moderation.workflow_finish), and that is
the only way a story is published. It happens in three steps:

1. `finish_workflow` records the decision in the decision's own transaction (a `Publication` row, and the story's
   status "being published") and queues `publish_decided_story` for when that transaction commits. The moderator's
   request, or the contributor's, returns at once.
2. The worker makes the metadata-free copy of the media, with redacted words silenced, outside any database
   transaction: on SQLite a transaction holds the write lock, and every submission would wait for the encode.
3. One short transaction applies the contributor's consent (identity, "my words, not my voice", audience), the
   redactions they accepted and the confirmed transcript, points the media at the new copy and publishes the
   revision.

A failed attempt publishes nothing (its copy is deleted), shows on the moderators' review screen and queue, and is
tried again, up to MAX_ATTEMPTS; then a moderator may start it again. A withdrawal erases the `Publication` with the
contribution: an attempt still running finds it gone, deletes its copy and publishes nothing.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page, PageLogEntry, PageViewRestriction, Revision
from wagtail.workflows import publish_workflow_state

from base import task_payloads
from stories.governance import publishing_under_governance
from stories.media_publishing import write_published_copy
from stories.models import StoryMedia, StoryPage

from . import notifications, redaction, roles
from .models import AuditEvent, ConsentRecord, Contribution, EditProposal, Publication, Redaction, StoryStatus
from .state import latest_consent
from .workflows import record

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_BASE_SECONDS = 60
PUBLISHED = "published"


def finish_workflow(workflow_state, user=None) -> None:
    """The workflow's finish action: stories publish under governance, any other page as Wagtail would."""
    obj = workflow_state.content_object
    contribution = Contribution.objects.filter(story_id=obj.pk).first() if isinstance(obj, Page) else None
    if contribution is None:
        publish_workflow_state(workflow_state, user=user)
        return
    # The story as it stands when the moderator decides (what Wagtail itself would publish): a draft saved while it was
    # in moderation (a content note added in the editor) is part of what they approved; one saved later is not.
    request_publication(contribution, user=user)


@transaction.atomic
def request_publication(contribution: Contribution, user=None, revision: Revision | None = None) -> Publication:
    """Record the decision to publish `revision` (the story's latest, as the moderator saw it, unless given), and queue
    the task that carries it out once this transaction commits."""
    publication, _ = Publication.objects.update_or_create(
        contribution=contribution,
        defaults={
            "revision": revision or contribution.story.latest_revision,
            "decided_by": user if user is not None and user.is_authenticated else None,
            "status": Publication.Status.QUEUED,
            "attempts": 0,
            "token": "",
            "started_at": None,
            "retry_at": None,
            "error": "",
        },
    )
    contribution.status = StoryStatus.PUBLISHING
    contribution.save(update_fields=["status", "status_changed_at"])
    record(contribution, AuditEvent.Action.PUBLICATION_DECIDED, user)
    _enqueue(contribution.pk)
    return publication


@transaction.atomic
def retry_publication(publication: Publication) -> bool:
    """A moderator starts a failed (or stalled) publication again, with a fresh set of attempts. An attempt that is
    still running after all loses its token, and with it the right to publish."""
    if not publication.may_retry:
        return False
    restarted = Publication.objects.filter(
        pk=publication.pk, status=publication.status, token=publication.token
    ).update(status=Publication.Status.QUEUED, attempts=0, token="", started_at=None, retry_at=None)
    if restarted:
        _enqueue(publication.contribution_id)
    return bool(restarted)


def _enqueue(contribution_id: int, run_after: datetime | None = None) -> None:
    queued = publish_decided_story.using(run_after=run_after) if run_after else publish_decided_story
    transaction.on_commit(lambda: queued.enqueue(contribution_id))


@task(queue_name="publication")
def publish_decided_story(contribution_id: int) -> str:
    return carry_out(contribution_id)


def carry_out(contribution_id: int) -> str:
    """One attempt at a decided publication; returns what happened (for the task result, never story content)."""
    token = uuid.uuid4().hex
    claimed = Publication.objects.filter(contribution_id=contribution_id, status=Publication.Status.QUEUED).update(
        status=Publication.Status.RUNNING,
        token=token,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        retry_at=None,
    )
    if not claimed:
        return task_payloads.DISCARDED  # withdrawn, done already, or running elsewhere: a duplicate is a no-op
    copy = ""
    try:
        story = _prepare(Contribution.objects.get(pk=contribution_id))
        if story.page.show_media:
            copy = write_published_copy(story.page.media, silence=redaction.silence_ranges(story.redactions))
        published = _publish(contribution_id, token, story, copy)
    except Exception as error:  # any failure: nothing is published, the attempt is recorded and tried again
        _delete_unused(copy)
        return _failed(contribution_id, token, error)
    if not published:
        _delete_unused(copy)
        return task_payloads.DISCARDED
    return PUBLISHED


task_payloads.forget_discarded(publish_decided_story)


@dataclass
class _PreparedStory:
    page: StoryPage  # the decided revision, as the public will see it
    consent: ConsentRecord
    redactions: list[Redaction]


def last_published_revision(page: StoryPage) -> Revision | None:
    """The revision last published (as Wagtail's log records it: the page may be off the site now)."""
    published = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .order_by("-timestamp", "-pk")
        .select_related("revision")
        .first()
    )
    return published.revision if published else None


def _prepare(contribution: Contribution) -> _PreparedStory:
    """The story as decided, as the contributor agreed it may be published (read only: no transaction is needed)."""
    consent = latest_consent(contribution)
    decided = Publication.objects.filter(contribution=contribution).select_related("revision").first()
    if decided is not None and decided.revision is not None:
        page = decided.revision.as_object()
    else:  # decided before decisions named their revision
        page = contribution.story.specific.get_latest_revision_as_object()
    redactions = list(
        Redaction.objects.filter(proposal__contribution=contribution, proposal__status__in=EditProposal.APPLIED)
    )
    redaction.apply_redactions(page, redactions)
    if consent.identity == ConsentRecord.Identity.ANONYMOUS:
        page.display_name = ""
    page.show_media = bool(page.media_id) and consent.media_use == ConsentRecord.MediaUse.PUBLISH_MEDIA
    return _PreparedStory(page, consent, redactions)


def _publish(contribution_id: int, token: str, story: _PreparedStory, copy: str) -> bool:
    """The short transaction that publishes: False when this attempt may no longer (the story was withdrawn, or a
    moderator started the publication again)."""
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update(of=("self",))
            .filter(contribution_id=contribution_id, token=token, status=Publication.Status.RUNNING)
            .select_related("contribution", "decided_by")
            .first()
        )
        if publication is None:
            return False
        contribution, user, page = publication.contribution, publication.decided_by, story.page
        if page.media_id:
            point_media_at(page.media, copy)
        revision = page.save_revision(user=user, log_action=False)
        # The workflow's approval is the permission to publish: moderators have no direct publish permission.
        with publishing_under_governance():
            revision.publish(user=user, skip_permission_checks=True)
        restrict_audience(page, story.consent)

        contribution.status = StoryStatus.PUBLISHED
        contribution.published_at = timezone.now()
        contribution.save(update_fields=["status", "published_at", "status_changed_at"])
        record(contribution, AuditEvent.Action.PUBLISHED, user)
        if story.redactions:
            record(contribution, AuditEvent.Action.PUBLISHED_WITH_EDITS, user)
        preauthorised = contribution.proposals.filter(status=EditProposal.Status.PREAUTHORISED).exists()
        notifications.notify(contribution, "published", redactions=story.redactions, preauthorised=preauthorised)
        publication.delete()
    return True


def point_media_at(media: StoryMedia, copy: str) -> None:
    """Make `copy` the published file ("" for none: "my words, not my voice"), and delete the earlier copy once
    the publication has committed."""
    previous = media.published_file.name
    media.published_file.name = copy
    media.save(update_fields=["published_file"])
    if previous and previous != copy:
        storage = media.published_file.storage
        transaction.on_commit(lambda: storage.delete(previous))


def _delete_unused(copy: str) -> None:
    """Delete a copy this attempt made, unless a published story's media points at it."""
    if copy and not StoryMedia.objects.filter(published_file=copy).exists():
        StoryMedia._meta.get_field("published_file").storage.delete(copy)


def _failed(contribution_id: int, token: str, error: Exception) -> str:
    logger.warning("Publishing contribution %s failed.", contribution_id, exc_info=error)
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update(of=("self",))
            .filter(contribution_id=contribution_id, token=token, status=Publication.Status.RUNNING)
            .select_related("contribution")
            .first()
        )
        if publication is None:
            return task_payloads.DISCARDED
        publication.token = ""
        publication.error = f"{type(error).__name__}: {error}"[:300]
        if publication.attempts >= MAX_ATTEMPTS:
            publication.status = Publication.Status.FAILED
            record(publication.contribution, AuditEvent.Action.PUBLICATION_FAILED)
        else:
            publication.status = Publication.Status.QUEUED
            publication.retry_at = timezone.now() + timedelta(
                seconds=RETRY_BASE_SECONDS * 2 ** (publication.attempts - 1)
            )
            _enqueue(contribution_id, run_after=publication.retry_at)
        publication.save(update_fields=["token", "error", "status", "retry_at"])
    return publication.status


def restrict_audience(page: StoryPage, consent: ConsentRecord) -> None:
    """A story for researchers only is published behind the Researchers group, never to the public."""
    if consent.audience != ConsentRecord.Audience.RESEARCHERS:
        return
    restriction, _ = PageViewRestriction.objects.get_or_create(
        page=page, defaults={"restriction_type": PageViewRestriction.GROUPS}
    )
    restriction.restriction_type = PageViewRestriction.GROUPS
    restriction.save()
    restriction.groups.set(Group.objects.filter(name=roles.RESEARCHERS))
