"""Turning a finished share form into a story: a draft page, its private record, its consent, and a story key.

    hold_upload(upload, title=...) -> StoryMedia     check and store a recording while the person finishes the form
    release_upload(media)                            erase a held recording they replaced or abandoned
    submit_story(submission) -> Submitted            one transaction; raises AlreadySubmitted for a repeated token

A story a peer worker or staff member enters with the person in the admin (assisted sharing) is the same submission
with `assisted` set: who helped is recorded in the audit log for moderators, the consent record says how the person
agreed, and paper scans are kept privately with the story. Nothing else differs: the same draft, workflow and key.

The story page is created as a draft under the story index and never published here: publication is the
moderation workflow's decision. Media stories are handed to transcription in the same transaction, so the job
exists exactly when the story does.
"""

import datetime
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files import File
from django.db import DatabaseError, IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language

from moderation.erasure import erase_media
from moderation.models import AuditEvent, ConsentRecord, ConsentText, Contribution, PaperScan, StoryStatus
from moderation.notifications import notify
from moderation.workflows import start_moderation
from stories.media_intake import store_upload
from stories.models import ContentNote, StoryFormat, StoryIndexPage, StoryMedia, StoryPage, Theme
from transcription.services import request_transcription

from .models import EventStory, HeldUpload, SharingEvent

# Sent inside the submission's transaction once the draft story exists, with `story` (the StoryPage) and `answers`
# (Submission.added_answers): how an app that added a question to the share flow receives its answer.
story_submitted = Signal()

# A recording held for a form nobody sends is erased after this long.
HELD_UPLOAD_LIFETIME = datetime.timedelta(hours=24)


class SharingUnavailable(Exception):
    """There is no story index to put stories under (the site has not been set up yet)."""


class AlreadySubmitted(Exception):
    """This form was already sent (a double click, a resent POST): the story exists once."""


@dataclass(frozen=True)
class Assisted:
    """A story shared with someone's help in the admin: who helped, how the person agreed, and the paper kept."""

    staff_member: object  # the signed-in user who entered the story with the person
    consent_method: str  # ConsentRecord.Method: read aloud and agreed, or a signed paper form
    scans: list[tuple[str, File]] = field(default_factory=list)  # (PaperScan.Kind, a checked picture)


@dataclass(frozen=True)
class Submission:
    title: str
    text: str
    media: StoryMedia | None
    stated_language: str
    consent_text: ConsentText
    audience: str
    identity: str
    media_use: str
    research_use: bool
    expires_on: datetime.date | None
    minimal_edits_preauthorised: bool
    display_name: str
    email: str
    idempotency_key: str
    content_notes: list[ContentNote] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    suggested_theme: str = ""
    perspective: str = ""
    channel: str = Contribution.Channel.WEB
    # The event it was shared at, on a shared device there (kept privately, EventStory), or None.
    event: SharingEvent | None = None
    # Entered with the person in the admin by a peer worker or staff member (assisted sharing), or None.
    assisted: Assisted | None = None
    # Answers to the questions other apps add to the story step (forms.STORY_QUESTIONS_HOOK), by field name.
    added_answers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Submitted:
    contribution: Contribution
    key: str  # the story key: shown to the contributor once, stored nowhere


def hold_upload(upload, *, title: str) -> StoryMedia:
    """Check an upload by its content and keep it privately until the form is sent. Raises MediaRejected."""
    purge_abandoned_uploads()
    media = store_upload(upload, title=title)
    try:
        HeldUpload.objects.create(media=media)
    except DatabaseError:
        # A recording without its hold would never be erased (a full database fails here, after the media's row).
        with transaction.atomic():
            erase_media(media)
        raise
    return media


def release_upload(media: StoryMedia) -> None:
    """Erase a held recording that will not be sent (replaced, or the person chose to write instead)."""
    with transaction.atomic():
        if HeldUpload.objects.filter(media=media).exists():
            erase_media(media)


def held_media(media_id: int | None) -> StoryMedia | None:
    """The held recording with this id, if it is still held (not sent, not expired)."""
    if media_id is None:
        return None
    held = HeldUpload.objects.filter(media_id=media_id).select_related("media").first()
    return held.media if held else None


def purge_abandoned_uploads() -> int:
    """Erase recordings held for forms that were never sent. Cheap enough to run before every new upload."""
    expired = HeldUpload.objects.filter(held_at__lt=timezone.now() - HELD_UPLOAD_LIFETIME).select_related("media")
    count = 0
    for held in expired:
        with transaction.atomic():
            erase_media(held.media)
        count += 1
    return count


def submit_story(submission: Submission) -> Submitted:
    scans: list[PaperScan] = []
    try:
        with transaction.atomic():
            return _create(submission, scans)
    except Exception as failure:
        # Their rows were undone with the rest: the files written for them are nobody's, and are a person's paper.
        for scan in scans:
            scan.file.storage.delete(scan.file.name)
        repeated = Contribution.objects.filter(idempotency_key=submission.idempotency_key)
        if isinstance(failure, IntegrityError) and repeated.exists():
            raise AlreadySubmitted() from None
        raise


def paragraphs(text: str) -> list[str]:
    """The story split at blank lines; single line breaks stay inside a paragraph."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def _interface_language() -> str:
    """The interface language this story is being shared in (its emails are written in it)."""
    language = get_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _create(submission: Submission, scans: list[PaperScan]) -> Submitted:
    index = StoryIndexPage.objects.first()
    if index is None:
        raise SharingUnavailable()
    media = submission.media
    key, key_hash = Contribution.new_key()
    # The contribution is written first: its unique token makes a concurrent double submit fail before anything else.
    contribution = Contribution.objects.create(
        key_hash=key_hash,
        status=StoryStatus.PROCESSING if media else StoryStatus.IN_MODERATION,
        email=submission.email,
        channel=submission.channel,
        stated_language=submission.stated_language,
        interface_language=_interface_language(),
        suggested_themes=submission.suggested_theme,
        idempotency_key=submission.idempotency_key,
    )
    if submission.event:
        EventStory.objects.create(contribution=contribution, event=submission.event)
    is_anonymous = submission.identity == ConsentRecord.Identity.ANONYMOUS
    page = StoryPage(
        title=submission.title,
        slug=_free_slug(index, submission.title),
        live=False,
        body=[("paragraph", paragraph) for paragraph in paragraphs(submission.text)],
        story_format=StoryFormat(media.type) if media else StoryFormat.TEXT,
        media=media,
        show_media=submission.media_use != ConsentRecord.MediaUse.TRANSCRIPT_ONLY,
        language=submission.stated_language or "en",
        display_name="" if is_anonymous else submission.display_name,
        perspective=submission.perspective,
    )
    page.themes = submission.themes
    page.content_notes = submission.content_notes
    index.add_child(instance=page)
    page.save_revision(log_action=False)

    contribution.story = page
    contribution.save(update_fields=["story"])
    ConsentRecord.objects.create(
        contribution=contribution,
        consent_text=submission.consent_text,
        text_version_hash=submission.consent_text.version_hash,
        audience=submission.audience,
        identity=submission.identity,
        media_use=submission.media_use,
        research_use=submission.research_use,
        expires_on=submission.expires_on,
        minimal_edits_preauthorised=submission.minimal_edits_preauthorised,
        channel=submission.channel,
        method=submission.assisted.consent_method if submission.assisted else ConsentRecord.Method.ONLINE,
    )
    if media:
        HeldUpload.objects.filter(media=media).delete()  # claimed: the recording now belongs to the story
        StoryMedia.objects.filter(pk=media.pk).update(title=submission.title[:255])
        request_transcription(page.pk, language=submission.stated_language or None)
    AuditEvent.record(page.pk, AuditEvent.Action.SUBMITTED, AuditEvent.Actor.CONTRIBUTOR, channel=submission.channel)
    if assisted := submission.assisted:
        helper = assisted.staff_member
        AuditEvent.record(page.pk, AuditEvent.Action.ASSISTED, AuditEvent.actor_for(helper), staff_member=helper)
        for kind, picture in assisted.scans:
            scan = PaperScan(contribution=contribution, kind=kind, file=picture)
            scans.append(scan)  # before it is saved: its file is written first, and then it is ours to remove
            scan.save()
    story_submitted.send(sender=Submission, story=page, answers=submission.added_answers)
    if not media:
        # A text story is confirmed on submission, so it goes straight into the moderation workflow.
        start_moderation(contribution)
    # The email never carries the story key: the link was shown once, on the page after sending.
    notify(contribution, "received")
    return Submitted(contribution=contribution, key=key)


def _free_slug(index: StoryIndexPage, title: str) -> str:
    base = slugify(title, allow_unicode=True)[:60].strip("-") or "story"
    slug = base
    while index.get_children().filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug
