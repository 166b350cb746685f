"""Keeping word timings when a contributor corrects a transcript line.

Whisper times every word it heard, and redaction silences the recording from those times. When the contributor
rewrites a line, the corrected words are aligned to the heard ones (difflib over word tokens, compared without case
or punctuation), so a later redaction still silences only the words chosen:

- a word left as it was (even with new case or punctuation) keeps its own time;
- a word changed one for one ("Dough" → "Doe") takes the time of the word it replaces;
- a run of words changed into a run of another length ("New castle" → "Newcastle") shares the time of the whole run
  it replaces: nobody knows where inside it each new word was said, and silencing the run is never too little;
- inserted words take the time between their neighbours, or the neighbours' own times when those touch;
- deleted words leave their time unassigned.

A line with no heard words has nothing to align to and gets none: redaction then silences the whole line.
"""

import difflib
import re
from dataclasses import dataclass

# A gap shorter than this between two heard words cannot hold a word of its own: an inserted word was heard as part
# of its neighbours, so it takes their times.
MIN_WORD_SECONDS = 0.1

_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class _Timed:
    start: float
    end: float


def _key(token: str) -> str:
    """How two words are compared: case and punctuation do not make a word a different word."""
    folded = token.casefold()
    return _NOT_WORD.sub("", folded) or folded


def realign_words(segment: dict, corrected_text: str) -> list[dict]:
    """The words of `corrected_text`, in Whisper's format (leading space, start, end), timed from `segment`'s words."""
    heard = segment.get("words") or []
    tokens = corrected_text.split()
    if not heard or not tokens:
        return []
    matcher = difflib.SequenceMatcher(
        a=[_key(word["word"]) for word in heard], b=[_key(token) for token in tokens], autojunk=False
    )
    words: list[dict] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "delete":
            continue
        if operation == "equal" or (operation == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                kept = {**heard[i], "word": f" {tokens[j]}"}
                if operation == "replace":
                    kept.pop("probability", None)  # not a word Whisper heard
                words.append(kept)
            continue
        timed = _run_time(heard, i1, i2) if operation == "replace" else _gap_time(segment, heard, i1)
        words += [{"start": timed.start, "end": timed.end, "word": f" {token}"} for token in tokens[j1:j2]]
    return words


def _run_time(heard: list[dict], i1: int, i2: int) -> _Timed:
    return _Timed(heard[i1]["start"], heard[i2 - 1]["end"])


def _gap_time(segment: dict, heard: list[dict], i: int) -> _Timed:
    """The time for words inserted before heard word `i`: the gap between its neighbours, or the neighbours too."""
    before = heard[i - 1] if i > 0 else None
    after = heard[i] if i < len(heard) else None
    start = before["end"] if before else min(segment["start"], after["start"])
    end = after["start"] if after else max(segment["end"], before["end"])
    if end - start >= MIN_WORD_SECONDS:
        return _Timed(start, end)
    return _Timed(before["start"] if before else start, after["end"] if after else end)
