"""The generation of public content: one number, kept in the database, that moves on whenever anything the public
sees changes (a story published, edited, withdrawn or expired; a theme renamed; a story's meaning stored).

What is made from public content is kept for one generation: stored pages (stories/page_cache.py), values derived
from it (`cached_for_generation`, such as the languages stories are in) and each process's index of story vectors
(stories/vector_index.py). It lives in the database, not the cache, so every process agrees at once.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.db.models import F

from .records import PublicCacheGeneration

# A stale copy is never served (its generation is old), and is gone from the cache itself within this time: a
# withdrawn story's words do not linger in Redis or in a worker's memory.
CACHE_TIMEOUT = 10 * 60


def current_generation() -> int:
    # Read on every cache lookup, so as plain SQL: a cached page is served in a few hundred microseconds, and the
    # ORM's query building would be a good part of that.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT generation FROM {PublicCacheGeneration._meta.db_table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def cached_for_generation(name: str, compute: Callable[[], object]):
    """A value derived from public content (such as the languages stories are in), kept until that content changes."""
    return cache.get_or_set(f"public-value:{name}:{current_generation()}", compute, CACHE_TIMEOUT)


def invalidate(**kwargs) -> None:
    """Make every cached public page stale, in every process.

    The bump is written in the same transaction as the change that caused it, so no other process can see the new
    generation before the new content (and store old content under it).
    """
    updated = PublicCacheGeneration.objects.filter(pk=1).update(generation=F("generation") + 1)
    if not updated:
        PublicCacheGeneration.objects.get_or_create(pk=1, defaults={"generation": 1})
