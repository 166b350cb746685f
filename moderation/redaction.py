"""Redaction: replace spans of a story's texts (title, display name, summary, paragraphs, transcript lines) with
labelled placeholders, and find the time ranges of the redacted words so the published media can be silenced there.

A moderator selects words on the review screen, which sends exactly where they are: which text, and the character
range inside it. The server checks the range still holds those words; nothing is looked up by counting occurrences.

Transcript segments are dicts as transcription stores them: {"start", "end", "text", "words": [{"start", "end",
"word", ...}]}. Word texts carry their own leading spaces, as Whisper writes them; lines the contributor corrected
keep word timings aligned to what Whisper heard (transcription.corrections).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from stories.models import StoryPage

from .models import EditProposal, Redaction
from .state import draft_proposal, story_paragraphs, story_transcript

# Silence a little either side of the redacted words: word boundaries from Whisper are approximate, and a clipped
# consonant can be enough to recognise a name.
SILENCE_MARGIN_SECONDS = 0.08


# The texts of a story page that hold one text each, by redaction target: the page field they live in.
SINGLE_TEXTS = {
    Redaction.Target.TITLE: "title",
    Redaction.Target.DISPLAY_NAME: "display_name",
    Redaction.Target.SUMMARY: "search_description",
}


class PassageNotFound(ValueError):
    """The words are not where the moderator said, or could be in more than one place."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    placeholder: str


def redactable_texts(page: StoryPage) -> dict[str, list[str]]:
    """Every text of a story a moderator may redact, by target, as the review screen shows it (pass the latest
    revision's object). A display name and a summary are offered only when the story has its own."""
    texts = {target: [value] for target, field in SINGLE_TEXTS.items() if (value := getattr(page, field))}
    texts[Redaction.Target.BODY] = story_paragraphs(page)
    texts[Redaction.Target.TRANSCRIPT] = [segment["text"] for segment in story_transcript(page)]
    return texts


def place_label(target: str, index: int) -> str:
    """Where a text is, in words for moderators and contributors."""
    if target == Redaction.Target.BODY:
        return f"Paragraph {index + 1}"
    if target == Redaction.Target.TRANSCRIPT:
        return f"Transcript, line {index + 1}"
    return Redaction.Target(target).label


def locate_passage(text: str, passage: str, start: int | None = None, end: int | None = None) -> tuple[int, int]:
    """The character span of `passage` in `text`: at `start`-`end` when the screen sent where it was selected (it must
    still hold exactly those words), else its only occurrence (typed by hand, without the selection script)."""
    if not passage:
        raise PassageNotFound("Nothing was selected.")
    if start is not None and end is not None:
        if not 0 <= start < end <= len(text) or text[start:end] != passage:
            raise PassageNotFound("The story has changed since those words were selected: select them again.")
        return start, end
    found = text.count(passage)
    if found == 0:
        raise PassageNotFound("Those words are not in this part of the story.")
    if found > 1:
        raise PassageNotFound(
            f"Those words appear {found} times in this part of the story: select the ones to remove in the story "
            "above, so exactly those are removed."
        )
    position = text.index(passage)
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


def apply_redactions(page: StoryPage, redactions) -> None:
    """Put the accepted redactions into the page about to be published (the latest revision's object): story text,
    transcript, title, display name and summary. Search, feeds and the API read the published page, so they follow."""
    page.body = [("paragraph", text) for text in redact_paragraphs(story_paragraphs(page), redactions)]
    page.transcript = redact_transcript(story_transcript(page), redactions)
    for target, field in SINGLE_TEXTS.items():
        spans = _spans_by_index(redactions, target).get(0)
        if not spans:
            continue
        redacted = redact_text(getattr(page, field), spans)
        # A placeholder can be longer than the words it replaces; the end of a long name gives way, never a save.
        max_length = StoryPage._meta.get_field(field).max_length
        setattr(page, field, redacted[:max_length] if max_length else redacted)
        if field == "title":
            # The address was made from the title and may hold the same words: Wagtail makes a free one from the
            # redacted title when the page is saved with no slug.
            page.slug = ""


def silence_ranges(redactions) -> list[tuple[float, float]]:
    """The time ranges to silence in the published media: every redacted transcript span with word timings."""
    spoken = [r for r in redactions if r.target == Redaction.Target.TRANSCRIPT and r.start_time is not None]
    return merge_ranges((r.start_time, r.end_time) for r in spoken)


# --- Moderators' draft redactions ---------------------------------------------------------------------------------


def add_draft_redaction(
    contribution,
    user,
    *,
    target: str,
    index: int,
    passage: str,
    start: int | None = None,
    end: int | None = None,
    code: str,
    label: str,
    note: str,
):
    """Add a redaction to the moderator's draft proposal for this story: `passage` at characters `start`-`end` of
    the text (see locate_passage). Raises PassageNotFound (with a message for the moderator) when the words are not
    there, or overlap a redaction already drafted."""
    page = contribution.story.specific.get_latest_revision_as_object()
    texts = redactable_texts(page).get(target, [])
    if not 0 <= index < len(texts):
        raise PassageNotFound("That part of the story does not exist.")
    start, end = locate_passage(texts[index], passage, start, end)
    proposal = draft_proposal(contribution)
    if proposal and proposal.redactions.filter(target=target, index=index, start__lt=end, end__gt=start).exists():
        raise PassageNotFound("Those words overlap a change you have already drafted.")
    start_time = end_time = None
    if target == Redaction.Target.TRANSCRIPT:
        segment = story_transcript(page)[index]
        # A line without word timings (a transcript that came without them) is silenced whole: never too little.
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
