"""The number of database queries per public page does not grow with the number of stories or themes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.public_site import SPOKEN_TRANSCRIPT, build_site, content_note, publish_story, theme

pytestmark = pytest.mark.django_db


def add_stories(index, start: int, count: int) -> None:
    note = content_note("Self-harm")
    for number in range(start, start + count):
        themes = (theme(f"Theme {number % 25}"), theme(f"Theme {(number + 7) % 25}"))
        publish_story(
            index,
            f"Story {number}",
            body=(f"Walking helped, day {number}.",),
            transcript=SPOKEN_TRANSCRIPT,
            story_format="audio" if number % 2 else "text",
            themes=themes,
            notes=(note,) if number % 3 == 0 else (),
        )


def queries(client, path: str, *, cached: bool = False) -> int:
    cache.clear()
    if cached:
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


PATHS = [
    "/",
    "/stories/",
    "/stories/?page=2&format=audio",
    "/stories/story-3/",
    "/themes/",
    "/themes/theme-4/",
    "/search/?q=walking",
    "/feeds/stories/",
    "/feeds/podcast/",
    "/api/v2/stories/",
]


def test_query_counts_are_the_same_with_10_and_200_stories(client):
    index = build_site()
    add_stories(index, 0, 10)
    client.cookies["vb_hide_notes"] = "self-harm"
    for path in PATHS:  # rows made on first use (the crisis signposting setting) are not part of the comparison
        client.get(path)
    few = {path: queries(client, path) for path in PATHS}
    few_cached = {path: queries(client, path, cached=True) for path in PATHS}

    add_stories(index, 10, 190)
    # As above: each process reads the story vectors again once after public content changed, not per request.
    for path in PATHS:
        client.get(path)
    many = {path: queries(client, path) for path in PATHS}
    many_cached = {path: queries(client, path, cached=True) for path in PATHS}

    assert many == few
    assert many_cached == few_cached
    # A cached story page costs two queries: the cache generation and the "experienced this too" count.
    assert few_cached["/stories/story-3/"] == 2
