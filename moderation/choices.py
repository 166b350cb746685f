"""A contributor changes their choices after sharing (/my-story/<key>/choices/).

Every change is a new consent record against the current consent text. What narrows what the public sees (going
anonymous, researchers only, transcript only) and what changes nothing public (end date, small edits, research use)
applies at once, everywhere: the published page and its byline, the media (a transcript-only story's media address
stops answering and its published copy is deleted), lists, feeds, the API and search (all read the live page), and
research exports and emerging-theme quotes (which read the latest consent); the page cache moves on with the publish
and the frontend cache is purged. What widens it (a name, or a different name; everyone where it was researchers
only; the recording where it was the transcript only) waits as a `ChoicesChange` for a moderator's light decision.

A changed published story is republished under governance, as a recorded decision (the contributor's, audited),
like `moderation.publication` does; a story not yet published only keeps the change for its publication to apply.
"""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction

from stories.governance import publishing_under_governance
from stories.links import public_urls, purge
from stories.models import StoryPage

from . import publication
from .models import AuditEvent, ChoicesChange, ConsentRecord, ConsentText, Contribution, StoryStatus
from .state import latest_consent
from .workflows import record

Identity, Audience, MediaUse = ConsentRecord.Identity, ConsentRecord.Audience, ConsentRecord.MediaUse


@dataclasses.dataclass(frozen=True)
class Choices:
    """Everything a contributor may change: the consent record's choices, and the name shown."""

    audience: str
    identity: str
    display_name: str
    media_use: str
    research_use: bool
    expires_on: datetime.date | None
    minimal_edits_preauthorised: bool

    @property
    def shown_name(self) -> str:
        return "" if self.identity == Identity.ANONYMOUS else self.display_name

    @property
    def public(self) -> bool:
        return self.audience != Audience.RESEARCHERS


CONSENT_FIELDS = [field.name for field in dataclasses.fields(Choices) if field.name != "display_name"]


def current_choices(contribution: Contribution) -> Choices:
    consent = latest_consent(contribution)
    page = contribution.story.specific.get_latest_revision_as_object()
    return Choices(display_name=page.display_name, **{name: getattr(consent, name) for name in CONSENT_FIELDS})


def waiting_change(contribution: Contribution) -> ChoicesChange | None:
    return contribution.choice_changes.filter(status=ChoicesChange.Status.WAITING).first()


def at_once(current: Choices, wanted: Choices) -> Choices:
    """What of `wanted` may apply without a moderator: everything except the parts that show the story more widely,
    which stay as they are."""
    keep_name = bool(wanted.shown_name) and wanted.shown_name != current.shown_name
    keep_audience = wanted.public and not current.public
    keep_media = wanted.media_use == MediaUse.PUBLISH_MEDIA and current.media_use == MediaUse.TRANSCRIPT_ONLY
    return dataclasses.replace(
        wanted,
        **({"identity": current.identity, "display_name": current.display_name} if keep_name else {}),
        **({"audience": current.audience, "research_use": current.research_use} if keep_audience else {}),
        **({"media_use": current.media_use} if keep_media else {}),
    )


@transaction.atomic
def change_choices(contribution: Contribution, wanted: Choices, consent_text: ConsentText) -> ChoicesChange | None:
    """Apply what may apply at once; return the change left for a moderator, if any (an earlier one it replaces)."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    current = current_choices(contribution)
    now = at_once(current, wanted)
    if now != current:
        _record_consent(contribution, now, consent_text)
        _apply(contribution, now)
        record(contribution, AuditEvent.Action.CHOICES_CHANGED)
    contribution.choice_changes.filter(status=ChoicesChange.Status.WAITING).update(status=ChoicesChange.Status.REPLACED)
    if now == wanted:
        return None
    change = ChoicesChange.objects.create(
        contribution=contribution, consent_text=consent_text, **dataclasses.asdict(wanted)
    )
    record(contribution, AuditEvent.Action.CHOICES_TO_CHECK)
    return change


@transaction.atomic
def decide(change: ChoicesChange, user, *, approve: bool) -> None:
    """A moderator's light decision on wider choices: approved, they become the consent and apply everywhere."""
    change = ChoicesChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChoicesChange.Status.WAITING:
        return
    change.status = ChoicesChange.Status.APPROVED if approve else ChoicesChange.Status.DECLINED
    change.decided_by, change.decided_at = user, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    contribution = change.contribution
    if not approve:
        record(contribution, AuditEvent.Action.CHOICES_DECLINED, user)
        return
    wanted = Choices(**{field.name: getattr(change, field.name) for field in dataclasses.fields(Choices)})
    _record_consent(contribution, wanted, change.consent_text)
    needs_copy = _apply(contribution, wanted, user=user)
    record(contribution, AuditEvent.Action.CHOICES_APPROVED, user)
    if needs_copy:
        # The recording is to be published again: the publication task makes its published copy (with redacted words
        # silenced) outside this transaction, and publishes under the latest consent.
        # The story as published: a newer draft's changes are not part of this decision.
        page = contribution.story.specific
        publication.request_publication(contribution, user=user, revision=publication.last_published_revision(page))


def _record_consent(contribution: Contribution, choices: Choices, consent_text: ConsentText) -> ConsentRecord:
    return ConsentRecord.objects.create(
        contribution=contribution,
        consent_text=consent_text,
        text_version_hash=consent_text.version_hash,
        channel=Contribution.Channel.WEB,
        **{name: getattr(choices, name) for name in CONSENT_FIELDS},
    )


def _apply(contribution: Contribution, choices: Choices, user=None) -> bool:
    """Make the story show what `choices` allow. Returns True when the recording must be published again (its
    published copy is made by the publication task)."""
    page = contribution.story.specific
    story = page.get_latest_revision_as_object()
    story.display_name = choices.shown_name
    if contribution.status != StoryStatus.PUBLISHED or not page.live:
        # Not public: publication applies the latest consent; the name is kept on the draft until then.
        story.save_revision(user=user, log_action=False)
        return False
    purged = public_urls(page)
    # Only what was published is published again, with the new choices: a later draft (a moderator's edit not yet
    # published) reaches the site only through moderation's publication, so it stays a draft, with the choices too.
    draft = story if page.has_unpublished_changes else None
    story = page
    story.display_name = choices.shown_name
    show_media = bool(story.media_id) and choices.media_use == MediaUse.PUBLISH_MEDIA
    needs_copy = show_media and not story.show_media
    story.show_media = story.show_media and show_media  # a copy yet to be made is shown once it is made
    revision = story.save_revision(user=user, log_action=False)
    with publishing_under_governance():
        revision.publish(user=user, skip_permission_checks=True, log_action=False)
    if draft is not None:
        draft.show_media = draft.show_media and show_media
        draft.save_revision(user=user, log_action=False)
    if story.media_id and not story.show_media:
        publication.point_media_at(story.media, "")  # transcript only: no published copy is kept
    if choices.public:
        PageViewRestriction.objects.filter(page=page).delete()
    else:
        publication.restrict_audience(story, latest_consent(contribution))
    page = StoryPage.objects.get(pk=page.pk)
    urls = sorted({*purged, *public_urls(page)})
    transaction.on_commit(lambda: purge(urls))
    return needs_copy
