"""Hearing redactions before they are published: the recording with a proposal's words silenced.

The moderator drafting edits and the contributor deciding on them hear what publishing would make: the same encoder
and the same silenced ranges (the proposal's, and any accepted before it), as audio only. A long recording takes a
while to encode, so the preview is made by a background task each time the ranges change, and is kept in private
storage beside the proposal with the ranges it was made for: a preview whose ranges are no longer the proposal's is
never served. Only the story's reviewers and the contributor holding its key hear it, and it is deleted with the
proposal (a removed draft, a withdrawal).
"""

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponse
from django_tasks import task

from stories.media_delivery import STAFF_CACHE_CONTROL, MediaFile, serve_media
from stories.media_publishing import PUBLISHED_CONTENT_TYPES, write_published_copy

from .models import EditProposal, Redaction
from .redaction import silence_ranges

# Where "hear it" starts playing: this long before a silenced range, so the words around it are heard too.
LEAD_IN_SECONDS = 1.5
MADE = "made"
NOTHING_TO_MAKE = "nothing to make"


@dataclass(frozen=True)
class Silenced:
    """One silenced range of the recording, in seconds, as shown beside the preview player."""

    start: float
    end: float

    @property
    def listen_from(self) -> float:
        return max(0.0, self.start - LEAD_IN_SECONDS)


def silenced(proposal: EditProposal) -> list[Silenced]:
    """The ranges publishing with this proposal would silence: its own redactions and those accepted before it."""
    redactions = Redaction.objects.filter(proposal__contribution_id=proposal.contribution_id).filter(
        Q(proposal=proposal) | Q(proposal__status__in=EditProposal.APPLIED)
    )
    return [Silenced(start, end) for start, end in silence_ranges(redactions)]


def _as_stored(ranges: list[Silenced]) -> list[list[float]]:
    return [[r.start, r.end] for r in ranges]


def _recording(proposal: EditProposal):
    """The story's recording, if publishing would show it (not for "my words, not my voice")."""
    page = proposal.contribution.story.specific.get_latest_revision_as_object()
    return page.media if page.media_id and page.show_media else None


def current_preview(proposal: EditProposal) -> FieldFile | None:
    """The preview made for exactly the ranges the proposal silences now, or None (none needed, or not made yet)."""
    ranges = silenced(proposal)
    if ranges and proposal.preview and proposal.preview_silence == _as_stored(ranges):
        return proposal.preview
    return None


def request_preview(proposal: EditProposal) -> None:
    """Have the preview made again (or dropped, when nothing is silenced any more) once this transaction commits."""
    if _recording(proposal) is not None:
        transaction.on_commit(lambda: make_preview.enqueue(proposal.pk))


@task()
def make_preview(proposal_id: int) -> str:
    """Make the proposal's preview for the ranges it silences now; a no-op when one is made already."""
    proposal = EditProposal.objects.filter(pk=proposal_id).select_related("contribution__story").first()
    if proposal is None or proposal.contribution.story is None:
        return NOTHING_TO_MAKE
    media = _recording(proposal)
    ranges = silenced(proposal)
    if media is None or not ranges:
        _drop_preview(proposal)
        return NOTHING_TO_MAKE
    if current_preview(proposal):
        return NOTHING_TO_MAKE
    # The encode runs outside any transaction (on SQLite one would hold the write lock all along).
    name = write_published_copy(media, silence=[(r.start, r.end) for r in ranges], audio_only=True)
    storage = EditProposal._meta.get_field("preview").storage
    with transaction.atomic():
        locked = EditProposal.objects.select_for_update().filter(pk=proposal_id).first()
        # The moderator may have changed the draft meanwhile: a copy for ranges that are no longer the proposal's
        # is thrown away (the change queued a task of its own).
        if locked is None or _as_stored(silenced(locked)) != _as_stored(ranges):
            transaction.on_commit(lambda: storage.delete(name))
            return NOTHING_TO_MAKE
        previous = locked.preview.name
        locked.preview.name = name
        locked.preview_silence = _as_stored(ranges)
        locked.save(update_fields=["preview", "preview_silence"])
        if previous:
            transaction.on_commit(lambda: storage.delete(previous))
    return MADE


def _drop_preview(proposal: EditProposal) -> None:
    if proposal.preview:
        delete_preview(EditProposal, proposal)
        EditProposal.objects.filter(pk=proposal.pk).update(preview="", preview_silence=None)


def delete_preview(sender, instance: EditProposal, **kwargs) -> None:
    """A proposal's preview goes with it (a removed draft, an erased story), once the deletion has committed."""
    if instance.preview:
        name, storage = instance.preview.name, instance.preview.storage
        transaction.on_commit(lambda: storage.delete(name))


def preview_response(request, proposal: EditProposal | None) -> HttpResponse:
    """Serve the proposal's current preview (the caller has checked who is asking), or 404."""
    preview = current_preview(proposal) if proposal else None
    content_type = PUBLISHED_CONTENT_TYPES.get(PurePosixPath(preview.name).suffix) if preview else None
    if content_type is None:
        raise Http404
    filename = f"voicebox-preview-{proposal.pk}{PurePosixPath(preview.name).suffix}"
    return serve_media(request, MediaFile(preview, content_type, filename), cache_control=STAFF_CACHE_CONTROL)
