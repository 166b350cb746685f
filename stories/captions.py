"""Derived formats of a transcript: WebVTT captions and plain text, from segments `[{start, end, text, words}]`."""

import textwrap
from dataclasses import dataclass

# Common caption style: at most two lines of 42 characters on screen at a time.
LINE_LENGTH = 42
MAX_LINES = 2


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def webvtt(segments: list[dict]) -> str:
    blocks = ["WEBVTT"]
    for cue in cues(segments):
        lines = "\n".join(_escape(line) for line in _lines(cue.text))
        blocks.append(f"{timestamp(cue.start)} --> {timestamp(cue.end)}\n{lines}")
    return "\n\n".join(blocks) + "\n"


def plain_text(segments: list[dict]) -> str:
    """One line per segment: how the transcript reads on the page and in a download."""
    return "\n".join(text for segment in segments if (text := _clean(segment["text"]))) + "\n"


def timestamp(seconds: float) -> str:
    milliseconds = max(0, round(seconds * 1000))
    hours, milliseconds = divmod(milliseconds, 3_600_000)
    minutes, milliseconds = divmod(milliseconds, 60_000)
    seconds, milliseconds = divmod(milliseconds, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{milliseconds:03d}"


def cues(segments: list[dict]) -> list[Cue]:
    """Segments split into cues short enough for two caption lines, in time order, each ending after it starts."""
    result: list[Cue] = []
    for segment in segments:
        pieces = _pieces_by_words(segment) if segment.get("words") else _pieces_by_share(segment)
        for cue in pieces:
            start = max(cue.start, result[-1].start if result else 0.0)
            result.append(Cue(start, max(cue.end, start + 0.001), cue.text))
    return result


def _pieces_by_words(segment: dict) -> list[Cue]:
    """Group Whisper's timed words into cues, so each cue shows while its words are spoken."""
    pieces: list[Cue] = []
    group: list[dict] = []
    for word in segment["words"]:
        if group and len(_lines(_words_text([*group, word]))) > MAX_LINES:
            pieces.append(Cue(group[0]["start"], group[-1]["end"], _words_text(group)))
            group = []
        group.append(word)
    if group:
        pieces.append(Cue(group[0]["start"], group[-1]["end"], _words_text(group)))
    return [piece for piece in pieces if piece.text]


def _pieces_by_share(segment: dict) -> list[Cue]:
    """A line without word timings (a contributor's correction): split its time in proportion to the text."""
    lines = _lines(segment["text"])
    chunks = [" ".join(lines[i : i + MAX_LINES]) for i in range(0, len(lines), MAX_LINES)]
    total = sum(len(chunk) for chunk in chunks) or 1
    span = segment["end"] - segment["start"]
    pieces, start = [], segment["start"]
    for chunk in chunks:
        end = start + span * len(chunk) / total
        pieces.append(Cue(start, end, chunk))
        start = end
    return pieces


def _lines(text: str) -> list[str]:
    return textwrap.wrap(_clean(text), LINE_LENGTH, break_long_words=False, break_on_hyphens=False)


def _words_text(words: list[dict]) -> str:
    return _clean("".join(word["word"] for word in words))


def _clean(text: str) -> str:
    # A caption line may not be empty or contain a blank line; all whitespace becomes single spaces.
    return " ".join(text.split())


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
