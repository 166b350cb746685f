"""Malformed public input gets a 400 or an empty result, never a server error.

Each request here once answered 500 to anyone: unbalanced quotes or a NUL in a search, a filter naming a page that
is not a story, ids too large for a 64-bit integer column. The client returns 500 responses rather than raising, as
a real server would.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from stories.models import HomePage
from tests.public_site import SPOKEN_TRANSCRIPT, build_site, media, publish_story

pytestmark = pytest.mark.django_db

PAST_64_BITS = str(2**64 + 1)
SEARCHES = ["it's \"ok", '"', "a\x00b", "\x00", "*", "OR", "(", "a AND", "NEAR(", "-", "ok^", "'"]


@pytest.fixture
def site():
    cache.clear()
    index = build_site()
    story = publish_story(
        index, "Finding my feet", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=media(seconds=2)
    )
    return {"index": index, "story": story, "home": HomePage.objects.get()}


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("query", SEARCHES)
def test_search_with_stray_syntax_is_calm(client, site, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        assert "Search" in response.content.decode()


def test_search_still_finds_words_beside_stray_quotes(client, site):
    assert "Finding my feet" in client.get("/search/", {"q": 'allotment "'}).content.decode()


@pytest.mark.parametrize("query", SEARCHES)
def test_api_search_with_stray_syntax_is_calm(client, site, query):
    response = client.get("/api/v2/stories/", {"search": query})
    assert response.status_code in (200, 400), response.status_code


@pytest.mark.parametrize("name", ["child_of", "descendant_of"])
def test_api_tree_filters_on_anything_but_the_story_index_are_empty_or_400(client, site, name):
    index_id = site["index"].pk
    listed = client.get("/api/v2/stories/", {name: index_id})
    assert listed.status_code == 200 and [item["id"] for item in listed.json()["items"]] == [site["story"].pk]
    for value in (site["home"].pk, site["story"].pk, 999_999):
        response = client.get("/api/v2/stories/", {name: value})
        assert response.status_code in (200, 400), (value, response.status_code)
        if response.status_code == 200 and value != site["home"].pk:
            assert response.json()["items"] == [], value
    for value in ("", "x", "-1", PAST_64_BITS, "1e3", "\x00"):
        assert client.get("/api/v2/stories/", {name: value}).status_code == 400, repr(value)


def test_ids_past_64_bits_are_404_or_400(client, site):
    story = site["story"]
    for path in (
        f"/api/v2/stories/{PAST_64_BITS}/",
        f"/captions/{PAST_64_BITS}.vtt",
        f"/story-media/{PAST_64_BITS}/voicebox-story-{PAST_64_BITS}.ogg",
        f"/story-media/review/{PAST_64_BITS}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/experienced-too/{PAST_64_BITS}/").status_code == 404
    for name in ("id", "offset", "limit"):
        assert client.get("/api/v2/stories/", {name: PAST_64_BITS}).status_code in (200, 400), name
    for value in (PAST_64_BITS, "x", "\x00"):
        assert client.get("/api/v2/stories/find/", {"id": value}).status_code == 404, repr(value)
    assert client.get("/api/v2/stories/find/", {"id": story.pk}).status_code == 302
    assert client.get(story.url).status_code == 200  # the story itself is still there for everyone
