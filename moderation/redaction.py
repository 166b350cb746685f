"""Redaction: replace spans of a story's text or transcript with labelled placeholders, and find the time ranges
of the redacted words so the published media can be silenced there.

Transcript segments are dicts as transcription stores them: {"start", "end", "text", "words": [{"start", "end",
"word", ...}]}. Word texts carry their own leading spaces, as Whisper writes them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from stories.media_publishing import make_published_copy

from .models import EditProposal, Redaction
from .state import draft_proposal, story_paragraphs, story_transcript

# Silence a little either side of the redacted words: word boundaries from Whisper are approximate, and a clipped
# consonant can be enough to recognise a name.
SILENCE_MARGIN_SECONDS = 0.08


class PassageNotFound(ValueError):
    """The quoted passage does not occur (that many times) in the paragraph or segment."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    placeholder: str


def find_passage(text: str, passage: str, occurrence: int = 1) -> tuple[int, int]:
    """The character span of the n-th occurrence (from 1) of `passage` in `text`."""
    if not passage:
        raise PassageNotFound("Nothing was selected.")
    position = -1
    for _ in range(occurrence):
        position = text.find(passage, position + 1)
        if position < 0:
            raise PassageNotFound("Those words are not in this part of the story.")
    return position, position + len(passage)


def _ordered(spans: Iterable[Span]) -> list[Span]:
    ordered = sorted(spans, key=lambda span: span.start)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.start < earlier.end:
            raise ValueError("Redactions in one paragraph must not overlap.")
    return ordered


def redact_text(text: str, spans: Iterable[Span]) -> str:
    """`text` with each span replaced by its placeholder."""
    parts, cursor = [], 0
    for span in _ordered(spans):
        parts += [text[cursor : span.start], span.placeholder]
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)


def _word_offsets(segment: dict) -> list[tuple[int, int]]:
    """Where each word of the segment sits in the segment's text (character offsets), in order."""
    text, cursor, offsets = segment.get("text", ""), 0, []
    for word in segment.get("words") or []:
        token = word.get("word", "").strip()
        found = text.find(token, cursor) if token else -1
        start = found if found >= 0 else cursor
        end = start + len(token) if found >= 0 else cursor
        offsets.append((start, end))
        cursor = end
    return offsets


def _overlapping_words(segment: dict, span: Span) -> list[int]:
    return [
        i
        for i, (start, end) in enumerate(_word_offsets(segment))
        if start < span.end and end > span.start and end > start
    ]


def time_range(segment: dict, span: Span) -> tuple[float, float] | None:
    """The time range (seconds) of the words a span covers, widened by the margin; None without word timings."""
    words = segment.get("words") or []
    covered = _overlapping_words(segment, span)
    if not covered:
        return None
    start = max(0.0, float(words[covered[0]]["start"]) - SILENCE_MARGIN_SECONDS)
    return start, float(words[covered[-1]]["end"]) + SILENCE_MARGIN_SECONDS


def redact_segment(segment: dict, spans: Iterable[Span]) -> dict:
    """A copy of the segment with its text redacted, and the covered words replaced by one placeholder word each,
    so captions and word-level search made from the words carry the placeholder too."""
    spans = _ordered(spans)
    words = segment.get("words") or []
    replaced: dict[int, Span] = {}
    for span in spans:
        covered = _overlapping_words(segment, span)
        for i in covered:
            replaced[i] = span
    new_words, emitted = [], set()
    for i, word in enumerate(words):
        span = replaced.get(i)
        if span is None:
            new_words.append(dict(word))
        elif span not in emitted:
            emitted.add(span)
            last = max(j for j, s in replaced.items() if s == span)
            new_words.append({"start": word["start"], "end": words[last]["end"], "word": f" {span.placeholder}"})
    return {**segment, "text": redact_text(segment.get("text", ""), spans), "words": new_words}


def merge_ranges(ranges: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


# --- Applying a story's accepted redactions ------------------------------------------------------------------------


def _spans_by_index(redactions, target: str) -> dict[int, list[Span]]:
    spans: dict[int, list[Span]] = {}
    for redaction in redactions:
        if redaction.target == target:
            spans.setdefault(redaction.index, []).append(Span(redaction.start, redaction.end, redaction.placeholder))
    return spans


def redact_paragraphs(paragraphs: list[str], redactions) -> list[str]:
    spans = _spans_by_index(redactions, Redaction.Target.BODY)
    return [redact_text(text, spans.get(i, [])) for i, text in enumerate(paragraphs)]


def redact_transcript(segments: list[dict], redactions) -> list[dict]:
    spans = _spans_by_index(redactions, Redaction.Target.TRANSCRIPT)
    return [redact_segment(segment, spans[i]) if i in spans else segment for i, segment in enumerate(segments)]


def silence_ranges(redactions) -> list[tuple[float, float]]:
    """The time ranges to silence in the published media: every redacted transcript span with word timings."""
    spoken = [r for r in redactions if r.target == Redaction.Target.TRANSCRIPT and r.start_time is not None]
    return merge_ranges((r.start_time, r.end_time) for r in spoken)


def make_redacted_media_copy(media, redactions) -> None:
    """Write the media's published copy (no metadata) with every redacted word silenced. The original stays private."""
    make_published_copy(media, silence=silence_ranges(redactions))


# --- Moderators' draft redactions ---------------------------------------------------------------------------------


def add_draft_redaction(
    contribution, user, *, target: str, index: int, passage: str, occurrence: int, code: str, label: str, note: str
):
    """Add a redaction to the moderator's draft proposal for this story. Raises PassageNotFound (with a message for
    the moderator) when the words are not where they said, or overlap a redaction already drafted."""
    page = contribution.story.specific.get_latest_revision_as_object()
    if target == Redaction.Target.BODY:
        texts = story_paragraphs(page)
        segment = None
    else:
        segments = story_transcript(page)
        texts = [segment["text"] for segment in segments]
    if not 0 <= index < len(texts):
        raise PassageNotFound("That paragraph or line does not exist.")
    start, end = find_passage(texts[index], passage, occurrence)
    proposal = draft_proposal(contribution)
    if proposal and proposal.redactions.filter(target=target, index=index, start__lt=end, end__gt=start).exists():
        raise PassageNotFound("Those words overlap a change you have already drafted.")
    start_time = end_time = None
    if target == Redaction.Target.TRANSCRIPT:
        segment = segments[index]
        # Without word timings (a line the contributor corrected) the whole line is silenced: never too little.
        start_time, end_time = time_range(segment, Span(start, end, "")) or (segment["start"], segment["end"])
    proposal = proposal or EditProposal.objects.create(contribution=contribution, proposed_by=user)
    return Redaction.objects.create(
        proposal=proposal,
        target=target,
        index=index,
        start=start,
        end=end,
        passage=texts[index][start:end],
        code=code,
        label=label,
        note=note,
        start_time=start_time,
        end_time=end_time,
    )


def remove_draft_redaction(contribution, redaction_id: int) -> bool:
    """Remove a redaction the moderator drafted but has not sent (sent ones are history and stay)."""
    deleted, _ = Redaction.objects.filter(
        pk=redaction_id, proposal__contribution=contribution, proposal__status=EditProposal.Status.DRAFT
    ).delete()
    EditProposal.objects.filter(contribution=contribution, status=EditProposal.Status.DRAFT, redactions=None).delete()
    return bool(deleted)
