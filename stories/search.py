"""Search over published stories (titles, text and transcripts), and the passage that matched, highlighted.

Wagtail's search backend finds and ranks the stories; this module then picks, in each found story, the paragraph
or transcript line that best matches the words searched for, so a reader sees why it matched and, for words that
were spoken, can jump to the moment they were said.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.models import IndexEntry

from .listing import StoryFilters, published_stories
from .models import StoryPage

MAX_QUERY_LENGTH = 200
PASSAGE_CHARS = 260
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Passage:
    html: SafeString
    # Where in the recording the passage is said (a transcript line), or None for written text.
    start: float | None = None
    line_index: int | None = None


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(word.lower() for word in _WORD.findall(query) if len(word) > 1))


def search_stories(query: str, filters: StoryFilters):
    """Published stories containing every searched word, newest first, narrowed by the reader's filters.

    Newest first, as in every other list, rather than by relevance: the database backend scores relevance row by
    row, which at 10,000 stories takes seconds for a common word; the highlighted passage shows why each matched.
    """
    stories: QuerySet[StoryPage] = filters.apply(published_stories().defer(None))
    return stories.search(query, order_by_relevance=False)


def refresh_search_statistics(**kwargs) -> None:
    """Keep SQLite's table statistics for the search index current (run on publish; milliseconds).

    Without them SQLite plans the full-text join the wrong way round, running the match once per indexed row:
    seconds per search at 10,000 stories instead of milliseconds. Other databases plan it well on their own.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {IndexEntry._meta.db_table}")


def _terms_pattern(terms: list[str]) -> re.Pattern:
    # A word starting with a searched word matches ("voice" finds "voices"), like the search index's stemming.
    return re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\w*", re.IGNORECASE)


def _window(text: str, first_match: int) -> tuple[str, str, str]:
    """Cut a long text down to about PASSAGE_CHARS around its first match, at word boundaries."""
    if len(text) <= PASSAGE_CHARS:
        return "", text, ""
    start = max(0, first_match - PASSAGE_CHARS // 3)
    end = min(len(text), start + PASSAGE_CHARS)
    if start > 0:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        cut = text.rfind(" ", first_match, end)
        end = cut if cut > first_match else end
    return ("… " if start > 0 else ""), text[start:end], (" …" if end < len(text) else "")


def highlight(text: str, pattern: re.Pattern) -> SafeString:
    first = pattern.search(text)
    prefix, text, suffix = _window(text, first.start() if first else 0)
    pieces, position = [prefix], 0
    for match in pattern.finditer(text):
        pieces += [escape(text[position : match.start()]), "<mark>", escape(match[0]), "</mark>"]
        position = match.end()
    pieces += [escape(text[position:]), suffix]
    return mark_safe("".join(pieces))  # noqa: S308  (every piece of the reader's or story's text is escaped)


def best_passage(story: StoryPage, query: str) -> Passage | None:
    """The paragraph or transcript line matching most of the searched words (the whole phrase counts extra)."""
    terms = query_terms(query)
    if not terms:
        return None
    pattern = _terms_pattern(terms)
    phrase = query.lower()

    def score(text: str) -> int:
        found = {match[0].lower() for match in pattern.finditer(text)}
        matched_terms = sum(1 for term in terms if any(word.startswith(term) for word in found))
        return matched_terms * 2 + (1 if phrase in text.lower() else 0)

    candidates = [(score(text), text, None, None) for text in story.paragraphs]
    for index, segment in enumerate(story.transcript or []):
        text = segment.get("text", "").strip()
        candidates.append((score(text), text, float(segment.get("start", 0)), index))
    best = max(candidates, key=lambda candidate: candidate[0], default=None)
    if best is None or best[0] == 0:
        return None
    _, text, start, line_index = best
    return Passage(html=highlight(text, pattern), start=start, line_index=line_index)
