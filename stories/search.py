"""Search over published stories (titles, text and transcripts) by words and by meaning, most relevant first, and
the passage that matched, highlighted.

Two lists are made and fused by reciprocal rank (each story scores 1/(RRF_K + rank) in each list it is in):
- words: Wagtail's search backend finds the stories containing every searched word (all equally matching, so they
  are put in order by meaning among themselves);
- meaning: the stories whose passages are closest in meaning to the query (stories/vector_index.py), in any
  language, so "hope" also finds a story told in Spanish about "esperanza".
A story found both ways comes first. Without the embedding engine, search is by words alone, newest first. This
module then picks, in each found story, the paragraph or transcript line that best matches the words searched for
(or, for a story found by meaning alone, the passage closest in meaning), so a reader sees why it matched and, for
words that were spoken, can jump to the moment they were said.
"""

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.models import IndexEntry

from . import embeddings
from .listing import StoryFilters
from .models import StoryPage, StoryVector
from .vector_index import Hit, vector_index

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
PASSAGE_CHARS = 260
_WORD = re.compile(r"\w+", re.UNICODE)
# How many stories each list contributes at most: relevance beyond the first few pages is noise.
KEYWORD_CANDIDATES = 300
MEANING_CANDIDATES = 100
RRF_K = 60
# A story found by meaning alone must be at least this alike to the query (cosine of e5 query and passage vectors).
# Short queries score related passages about 0.82-0.86 and unrelated ones 0.74-0.81 with multilingual-e5-small.
MEANING_MIN_SCORE = 0.82
# The bar for a story in another language than the query's. e5 scores a query against writing in another language
# lower, related or not: on 150 Debian packages, their one-line descriptions in English and in Spanish as queries
# against the packages' English descriptions (bench/search_languages.py), the Spanish query scored its own package's
# text 0.039 lower and other packages' 0.016 lower. At 0.82 a Spanish query found 85% of its texts (an English one
# 99%); at 0.805 it finds 93%, and matches unrelated texts less often (7.6%) than an English query does at 0.82 (9.2%).
CROSS_LANGUAGE_MIN_SCORE = 0.805


@dataclass(frozen=True)
class Passage:
    html: SafeString
    # Where in the recording the passage is said (a transcript line), or None for written text.
    start: float | None = None
    line_index: int | None = None


def clean_query(raw: str) -> str:
    # Control characters (a NUL above all, which PostgreSQL refuses in any string) are never part of a search.
    printable = "".join(char for char in raw if unicodedata.category(char) != "Cc" or char.isspace())
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def words_query(query: str) -> str:
    """The query as the search backend is given it: its words alone. Quotes, brackets and operators are syntax to
    the database's full-text engine (SQLite's FTS5 fails on an unbalanced quote), not words anyone is looking for."""
    return " ".join(_WORD.findall(query))


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(word.lower() for word in _WORD.findall(query) if len(word) > 1))


class RankedStories(Sequence):
    """Found stories in order of relevance, for the paginator: only the shown page's stories are read."""

    def __init__(self, story_ids: list[int], meaning_hits: dict[int, Hit]):
        self.story_ids = story_ids
        self.meaning_hits = meaning_hits

    def __len__(self) -> int:
        return len(self.story_ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        wanted = self.story_ids[index]
        found = StoryPage.objects.published().defer(None).in_bulk(wanted)
        stories = [found[story_id] for story_id in wanted if story_id in found]
        for story in stories:
            story.meaning_hit = self.meaning_hits.get(story.pk)
        return stories


def _keyword_matches(query: str, filters: StoryFilters) -> list[int]:
    """Published stories containing every searched word, newest first (the database backend's relevance scoring
    runs row by row, seconds for a common word at 10,000 stories), narrowed by the reader's filters."""
    words = words_query(query)
    if not words:
        return []
    stories = filters.apply(StoryPage.objects.live().public().order_by("-first_published_at", "-id"))
    found = stories.search(words, order_by_relevance=False)[:KEYWORD_CANDIDATES]
    # Only the ids are read: the database backends hand over their query, and a page object made for each of up to
    # 300 matches, to read its id, cost up to 40 ms of a search on a busy core at 10,000 stories.
    return list(found.get_queryset().values_list("pk", flat=True))


def _fuse(*rankings: list[int]) -> list[int]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, story_id in enumerate(ranking):
            scores[story_id] = scores.get(story_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(scores, key=lambda story_id: -scores[story_id])


def search_stories(query: str, filters: StoryFilters, language: str = "en") -> RankedStories:
    """Published stories matching the query by words or by meaning, most relevant first, narrowed by the filters.

    `language` is the language the query is taken to be written in: the reader's interface language (a reader of
    /es/ searches in Spanish); stories in other languages are found by meaning at CROSS_LANGUAGE_MIN_SCORE.
    """
    keyword_ids = _keyword_matches(query, filters)
    try:
        query_vector = embeddings.embed_query(query)
    except embeddings.EmbeddingsUnavailable:
        return RankedStories(keyword_ids, {})
    index = vector_index()
    hits = index.nearest(StoryVector.Kind.PASSAGE, query_vector, MEANING_CANDIDATES, min_score=CROSS_LANGUAGE_MIN_SCORE)
    meaning_hits = {hit.story_id: hit for hit in hits}
    # Only stories this reader may see and chose to see, as the words' list is.
    allowed = dict(
        filters.apply(StoryPage.objects.live().public()).filter(pk__in=list(meaning_hits)).values_list("pk", "language")
    )
    meaning_ids = [
        hit.story_id
        for hit in hits
        if hit.story_id in allowed
        and hit.score >= _min_score(query_language=language, story_language=allowed[hit.story_id])
    ]
    # Stories found by words are ranked among themselves by meaning too (those not embedded yet keep their order).
    by_meaning = index.nearest(StoryVector.Kind.PASSAGE, query_vector, len(keyword_ids), among=keyword_ids)
    keyword_ranked = list(dict.fromkeys([hit.story_id for hit in by_meaning] + keyword_ids))
    meaning_hits.update({hit.story_id: hit for hit in by_meaning})
    return RankedStories(_fuse(keyword_ranked, meaning_ids), meaning_hits)


def _min_score(*, query_language: str, story_language: str) -> float:
    """How alike a story found by meaning alone must be: "es-MX" writing is in the query's language "es"."""
    if query_language.split("-")[0].lower() == story_language.split("-")[0].lower():
        return MEANING_MIN_SCORE
    return CROSS_LANGUAGE_MIN_SCORE


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


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """The text around the first match (or its start), escaped, with every match marked."""
    first = pattern.search(text) if pattern else None
    prefix, text, suffix = _window(text, first.start() if first else 0)
    pieces, position = [prefix], 0
    for match in pattern.finditer(text) if pattern else ():
        pieces += [escape(text[position : match.start()]), "<mark>", escape(match[0]), "</mark>"]
        position = match.end()
    pieces += [escape(text[position:]), suffix]
    return mark_safe("".join(pieces))  # noqa: S308  (every piece of the reader's or story's text is escaped)


def meaning_passage(story: StoryPage, hit: Hit) -> Passage | None:
    """The start of the passage found by meaning: a paragraph, or a transcript line with its moment."""
    if hit.source == StoryVector.Source.TRANSCRIPT:
        segments = story.transcript or []
        if hit.first < len(segments):
            segment = segments[hit.first]
            text = segment.get("text", "").strip()
            return Passage(highlight(text, None), float(segment.get("start", 0)), hit.first)
        return None
    paragraphs = story.paragraphs
    return Passage(highlight(paragraphs[hit.first], None)) if hit.first < len(paragraphs) else None


def best_passage(story: StoryPage, query: str) -> Passage | None:
    """The paragraph or transcript line matching most of the searched words (the whole phrase counts extra); for a
    story found by meaning alone, the passage closest in meaning."""
    terms = query_terms(query)
    hit: Hit | None = getattr(story, "meaning_hit", None)
    if not terms:
        return meaning_passage(story, hit) if hit else None
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
        return meaning_passage(story, hit) if hit else None
    _, text, start, line_index = best
    return Passage(html=highlight(text, pattern), start=start, line_index=line_index)
