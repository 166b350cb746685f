"""Embedding: /embed/stories/<id>/ and /embed/collections/<slug>/ are the only pages another site may frame (their own
frame-ancestors, from EMBED_FRAME_ANCESTORS) under an otherwise strict policy; oEmbed answers a public story's or
collection's address with a rich iframe, and nothing for anything else; public story pages name it for discovery."""

import html as html_lib
import re
from urllib.parse import quote

import pytest
from django.core.cache import cache

from curated.models import CollectionStory, StoryCollection
from tests.public_site import SPOKEN_TRANSCRIPT, build_site, content_note, media, publish_story

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def stories():
    cache.clear()
    index = build_site()
    audio = publish_story(
        index,
        "The allotment",
        story_format="audio",
        transcript=SPOKEN_TRANSCRIPT,
        story_media=media(),
        display_name="Kay",
        notes=(content_note("Grief"),),
    )
    draft = publish_story(index, "Not yet", body=("Private for now.",))
    draft.unpublish()
    collection = StoryCollection.objects.create(title="Ward visit", slug="ward", introduction="For the ward.")
    CollectionStory.objects.create(collection=collection, story=audio)
    return audio, draft


def framing(response) -> tuple[str | None, str]:
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return response.headers.get("X-Frame-Options"), directives["frame-ancestors"]


def test_only_the_embed_pages_may_be_framed_and_their_policy_is_otherwise_strict(client, stories):
    audio, draft = stories
    for path in (f"/embed/stories/{audio.pk}/", "/embed/collections/ward/"):
        response = client.get(path)
        assert response.status_code == 200
        assert framing(response) == (None, "*")
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
        body = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", body) and " style=" not in body and "<style" not in body
    for path in (audio.url, "/collections/ward/", "/collections/", "/", "/oembed/?url=x"):
        assert framing(client.get(path)) == ("DENY", "'none'"), path
    assert client.get(f"/embed/stories/{draft.pk}/").status_code == 404
    assert client.get("/embed/stories/99999999/").status_code == 404
    assert client.get("/embed/collections/nope/").status_code == 404


def test_the_sites_that_may_frame_are_a_setting(client, stories, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://cms.example.org", "https://intranet.example.nhs.uk"]
    response = client.get(f"/embed/stories/{stories[0].pk}/")
    assert framing(response) == (None, "https://cms.example.org https://intranet.example.nhs.uk")
    assert framing(client.get(stories[0].url)) == ("DENY", "'none'")


def test_the_story_embed_has_the_player_the_transcript_and_a_link_back_only(client, stories):
    audio, _ = stories
    body = client.get(f"/embed/stories/{audio.pk}/").content.decode()
    assert 'id="story-player"' in body and f"/captions/{audio.pk}.vtt" in body and "/static/js/player.js" in body
    assert all(line["text"] in body for line in SPOKEN_TRANSCRIPT)
    assert "Content notes: Grief" in body and "Shared by Kay" in body
    assert f'href="http://localhost{audio.url}" target="_blank" rel="noopener"' in body
    assert "site-header" not in body and "site-footer" not in body and "/share/" not in body
    assert 'name="robots" content="noindex"' in body


def test_oembed_answers_a_public_story_with_a_rich_iframe(client, stories):
    audio, _ = stories
    response = client.get("/oembed/", {"url": f"{SITE}{audio.url}", "format": "json"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    answer = response.json()
    assert {key: answer[key] for key in ("version", "type", "title", "author_name", "provider_name")} == {
        "version": "1.0",
        "type": "rich",
        "title": "The allotment",
        "author_name": "Kay",
        "provider_name": "Voicebox",
    }
    assert (answer["width"], answer["height"]) == (640, 480) and answer["provider_url"] == f"{SITE}/"
    assert answer["html"] == (
        f'<iframe src="{SITE}/embed/stories/{audio.pk}/" width="640" height="480" title="The allotment" '
        'loading="lazy" style="border:0"></iframe>'
    )
    smaller = client.get("/oembed/", {"url": f"http://localhost{audio.url}", "maxwidth": "400", "maxheight": "x"})
    assert (smaller.json()["width"], smaller.json()["height"]) == (400, 480)
    embed = client.get("/oembed/", {"url": f"{SITE}/embed/stories/{audio.pk}/"}).json()
    assert embed["html"] == answer["html"]
    collection = client.get("/oembed/", {"url": f"{SITE}/collections/ward/"}).json()
    assert collection["title"] == "Ward visit" and f'src="{SITE}/embed/collections/ward/"' in collection["html"]


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "javascript:alert(1)",
        "/stories/",
        f"{SITE}/stories/not-yet/",  # unpublished
        f"{SITE}/stories/",  # public, but not a story
        f"{SITE}/stories/no-such-story/",
        f"{SITE}/embed/stories/99999999999999999999999/",
        f"{SITE}/collections/nope/",
        "https://elsewhere.example/stories/the-allotment/",  # not this site
    ],
)
def test_oembed_answers_404_for_anything_not_public_or_not_ours(client, stories, url):
    assert client.get("/oembed/", {"url": url, "format": "json"}).status_code == 404


def test_oembed_offers_json_only(client, stories):
    response = client.get("/oembed/", {"url": f"{SITE}{stories[0].url}", "format": "xml"})
    assert response.status_code == 501


def test_a_public_story_page_names_its_oembed_for_discovery(client, stories):
    audio, _ = stories
    body = client.get(audio.url).content.decode()
    found = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', body)
    assert found
    discovered = html_lib.unescape(found.group(1))
    assert discovered == f"/oembed/?url={quote(audio.full_url, safe='')}&format=json"
    assert client.get(discovered).json()["title"] == "The allotment"


@pytest.mark.parametrize("code", ["cy", "es"])
def test_an_address_in_another_interface_language_embeds_in_that_language(client, stories, code):
    audio, draft = stories
    path = audio.url  # in English: a request in Welsh leaves Welsh active in this thread, and page.url follows it
    # The address a Welsh or Spanish reader copies, asked of the English endpoint and of the language's own.
    for endpoint in ("/oembed/", f"/{code}/oembed/"):
        answer = client.get(endpoint, {"url": f"{SITE}/{code}{path}"}).json()
        assert answer["title"] == "The allotment"
        assert f'src="{SITE}/{code}/embed/stories/{audio.pk}/"' in answer["html"]
        collection = client.get(endpoint, {"url": f"{SITE}/{code}/collections/ward/"}).json()
        assert f'src="{SITE}/{code}/embed/collections/ward/"' in collection["html"]
    assert client.get(f"/{code}/oembed/", {"url": f"{SITE}{path}"}).json()["html"].count(f"{SITE}/embed/") == 1
    assert client.get("/oembed/", {"url": f"{SITE}/{code}/stories/not-yet/"}).status_code == 404  # unpublished
    assert client.get(f"/{code}/embed/stories/{audio.pk}/").status_code == 200
    # The page's own discovery link leads to an answer.
    body = client.get(f"/{code}{path}").content.decode()
    discovered = html_lib.unescape(
        re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', body).group(1)
    )
    assert client.get(discovered).json()["title"] == "The allotment"
