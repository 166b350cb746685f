"""RSS, Atom, per-theme and podcast feeds, read back with a real feed parser."""

import html

import feedparser
import pytest

from stories.links import published_media_url
from tests.public_site import SPOKEN_TRANSCRIPT, media, publish_story, theme

pytestmark = pytest.mark.django_db


def parse(client, path):
    response = client.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def test_stories_feed_in_rss_and_atom(client, index):
    family = theme("Family")
    publish_story(index, "Older story", body=("The first words.",), display_name="Sam", themes=(family,))
    publish_story(index, "Newer story", body=("The latest words.",))

    response, rss = parse(client, "/feeds/stories/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert [entry.title for entry in rss.entries] == ["Newer story", "Older story"]
    older = rss.entries[1]
    assert older.link == "http://testserver/stories/older-story/"
    assert older.summary == "The first words."
    assert older.author == "Sam"
    assert [tag.term for tag in older.tags] == ["Family"]

    response, atom = parse(client, "/feeds/stories/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert atom.version == "atom10"
    assert [entry.title for entry in atom.entries] == ["Newer story", "Older story"]


def test_theme_feed_lists_only_that_theme(client, index):
    family = theme("Family")
    publish_story(index, "In the theme", body=("x",), themes=(family,))
    publish_story(index, "Not in it", body=("y",))
    _, feed = parse(client, f"/feeds/themes/{family.slug}/")
    assert feed.feed.title == "Voicebox stories: Family"
    assert [entry.title for entry in feed.entries] == ["In the theme"]
    assert client.get("/feeds/themes/nothing-here/").status_code == 404


def test_podcast_feed_has_enclosures_durations_and_itunes_tags(client, index):
    recording = media("audio", seconds=4.0)
    audio = publish_story(
        index, "Spoken story", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=recording
    )
    publish_story(
        index,
        "Transcript only",
        story_format="audio",
        transcript=SPOKEN_TRANSCRIPT,
        story_media=media("audio"),
        show_media=False,
    )
    publish_story(index, "Written story", body=("x",))

    response, feed = parse(client, "/feeds/podcast/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert b'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"' in response.content
    # Apple's current spec spells it true/false (feedparser only maps the older yes/clean).
    assert b"<itunes:explicit>false</itunes:explicit>" in response.content
    assert feed.feed.image.href.endswith("/static/img/podcast-cover.png")
    assert feed.feed.tags[0].term == "Health & Fitness"
    assert [entry.title for entry in feed.entries] == ["Spoken story"]

    entry = feed.entries[0]
    enclosure = entry.enclosures[0]
    assert enclosure.href == "http://testserver" + published_media_url(audio)
    assert enclosure.type == "audio/ogg"
    assert int(enclosure.length) == recording.published_file.size
    assert entry.itunes_duration == "00:00:04"

    # The enclosure is the published copy itself, served with the length the feed announced.
    media_response = client.get(published_media_url(audio))
    assert int(media_response["Content-Length"]) == int(enclosure.length)
    assert media_response["Content-Type"] == "audio/ogg"


def test_unpublished_story_leaves_every_feed(client, index):
    family = theme("Family")
    story = publish_story(
        index, "Going away", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=media(), themes=(family,)
    )
    paths = ["/feeds/stories/", "/feeds/stories/atom/", f"/feeds/themes/{family.slug}/", "/feeds/podcast/"]
    for path in paths:
        assert [entry.title for entry in parse(client, path)[1].entries] == ["Going away"]
    story.unpublish()
    for path in paths:
        assert parse(client, path)[1].entries == [], path


def test_contributors_plain_text_is_sent_as_text_not_html(client, index):
    """Whatever markup a contributor typed is their words, shown as typed: feed readers never render it."""
    typed = "<img src=x onerror=alert(1)> I said <b>no</b> & meant it"
    family = theme("Family")
    publish_story(index, "Typed markup", body=(typed,), display_name="<i>Sam</i>", themes=(family,))

    for path in ("/feeds/stories/", f"/feeds/themes/{family.slug}/"):
        response, rss = parse(client, path)
        entry = rss.entries[0]
        assert "<" not in entry.summary  # entity-encoded: an RSS description is read as HTML
        assert html.unescape(entry.summary) == typed, path
        assert b"<description>&lt;img" not in response.content

    response, atom = parse(client, "/feeds/stories/atom/")
    entry = atom.entries[0]
    assert (entry.summary_detail.type, entry.summary) == ("text/plain", typed)
    assert b'<summary type="text">' in response.content and b'type="html"' not in response.content
    assert entry.author == "<i>Sam</i>"


def test_podcast_summaries_are_plain_text_too(client, index):
    typed = "<script>alert(1)</script> my voice"
    story = publish_story(
        index, "Spoken", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=media("audio")
    )
    story.search_description = typed
    story.save_revision().publish()
    response, feed = parse(client, "/feeds/podcast/")
    entry = feed.entries[0]
    assert html.unescape(entry.summary) == typed and "<" not in entry.summary
    assert b"<itunes:summary>&lt;script&gt;alert(1)&lt;/script&gt; my voice</itunes:summary>" in response.content
