"""Finding stories by meaning: the one place stored vectors are searched, so an index of another kind can take over.

VECTOR_INDEX (a setting) names the class. The default, `InProcessIndex`, works the same on SQLite and PostgreSQL:
each process reads one kind of vector (StoryVector.Kind) into a single matrix the first time it is needed and again
after public content changes (the page cache's generation, which storing or deleting vectors moves on), then scores
a query against every row with one matrix product: a few milliseconds at 10,000 stories. A PostgreSQL deployment
with the pgvector extension can name a class of its own instead, with the same two methods, whose `nearest` runs
`ORDER BY vector <=> %s LIMIT %s` over a pgvector column under an HNSW index, and whose `alike` does the same over a
column of the story vectors with their language's mean removed (see the README).
"""

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string

from .embeddings import DIMENSIONS, centred_by_language
from .generation import current_generation
from .records import StoryVector


@dataclass(frozen=True)
class Hit:
    story_id: int
    score: float  # cosine similarity of the story's best-matching row
    source: str  # where that row starts in the story (for passages): StoryVector.Source
    first: int


class VectorIndex(Protocol):
    def nearest(
        self, kind: str, query: np.ndarray, limit: int, min_score: float = -1.0, among: Sequence[int] | None = None
    ) -> list[Hit]:
        """The `limit` stories (of `among`, if given) with the rows most alike to `query`, best first, at least
        `min_score` alike."""

    def alike(self, story_id: int, limit: int, min_similarity: float = -1.0) -> list[Hit]:
        """The `limit` stories whose whole-story vectors are most alike to this story's, best first, at least
        `min_similarity` alike, once each language's mean vector is removed (embeddings.centred_by_language): what
        the stories say, not which language they say it in. Empty when the story has no vector."""


@dataclass(frozen=True)
class _Matrix:
    vectors: np.ndarray  # rows × DIMENSIONS, float32, grouped by story
    story_ids: np.ndarray  # one per story, ascending
    starts: np.ndarray  # each story's first row
    sources: list[str]
    firsts: np.ndarray
    languages: list[str]  # each row's story's language

    @functools.cached_property
    def centred_stories(self) -> np.ndarray:
        """Each story's first row with its language's mean removed: made once a generation, not once a page."""
        return centred_by_language(self.vectors[self.starts], [self.languages[row] for row in self.starts])


class InProcessIndex:
    def __init__(self):
        self._loaded: dict[str, tuple[int, _Matrix]] = {}
        self._lock = threading.Lock()
        # The last query's scores: a search asks twice with one query (its best stories, then its words' matches).
        self._last: tuple[_Matrix, bytes, np.ndarray, np.ndarray] | None = None

    def _matrix(self, kind: str) -> _Matrix:
        generation = current_generation()
        loaded = self._loaded.get(kind)
        if loaded is not None and loaded[0] == generation:
            return loaded[1]
        with self._lock:
            rows = list(
                StoryVector.objects.filter(kind=kind)
                .order_by("story_id", "position")
                .values_list("story_id", "source", "first", "vector", "story__language")
            )
            row_story_ids = np.array([row[0] for row in rows], dtype=np.int64)
            starts = np.flatnonzero(np.r_[True, row_story_ids[1:] != row_story_ids[:-1]]) if rows else np.zeros(0, int)
            matrix = _Matrix(
                vectors=np.frombuffer(b"".join(bytes(row[3]) for row in rows), dtype="<f4").reshape(-1, DIMENSIONS),
                story_ids=row_story_ids[starts],
                starts=starts,
                sources=[row[1] for row in rows],
                firsts=np.array([row[2] for row in rows], dtype=np.int64),
                languages=[row[4] for row in rows],
            )
            self._loaded[kind] = (generation, matrix)
        return matrix

    def nearest(
        self, kind: str, query: np.ndarray, limit: int, min_score: float = -1.0, among: Sequence[int] | None = None
    ) -> list[Hit]:
        matrix = self._matrix(kind)
        if not len(matrix.story_ids) or limit <= 0:
            return []
        query = np.asarray(query, dtype=np.float32)
        last = self._last
        if last is not None and last[0] is matrix and last[1] == query.tobytes():
            scores, best = last[2], last[3].copy()
        else:
            scores = matrix.vectors @ query
            best = np.maximum.reduceat(scores, matrix.starts)
            self._last = (matrix, query.tobytes(), scores, best.copy())
        if among is not None:
            best[~np.isin(matrix.story_ids, np.asarray(among, dtype=np.int64))] = -np.inf
        count = min(limit, len(best))
        top = np.argpartition(-best, count - 1)[:count]
        top = top[np.argsort(-best[top], kind="stable")]
        ends = np.r_[matrix.starts[1:], len(scores)]
        hits = []
        for story in top:
            if best[story] < min_score or best[story] == -np.inf:
                break
            row = matrix.starts[story] + int(np.argmax(scores[matrix.starts[story] : ends[story]]))
            hits.append(
                Hit(int(matrix.story_ids[story]), float(best[story]), matrix.sources[row], int(matrix.firsts[row]))
            )
        return hits

    def alike(self, story_id: int, limit: int, min_similarity: float = -1.0) -> list[Hit]:
        matrix = self._matrix(StoryVector.Kind.STORY)  # one row a story
        position = int(np.searchsorted(matrix.story_ids, story_id))
        if position == len(matrix.story_ids) or matrix.story_ids[position] != story_id or limit <= 0:
            return []
        scores = matrix.centred_stories @ matrix.centred_stories[position]
        scores[position] = -np.inf
        count = min(limit, len(scores))
        top = np.argpartition(-scores, count - 1)[:count]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [
            Hit(int(matrix.story_ids[story]), float(scores[story]), matrix.sources[row], int(matrix.firsts[row]))
            for story, row in zip(top, matrix.starts[top], strict=True)
            if scores[story] >= min_similarity
        ]


@functools.cache
def vector_index() -> VectorIndex:
    return import_string(settings.VECTOR_INDEX)()
