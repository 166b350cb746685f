"""The public pages as an anonymous reader gets them: home, story index with filters, themes, story pages."""

import re

import pytest

from stories.links import published_media_url
from stories.listing import HIDDEN_NOTES_COOKIE
from tests.public_site import SPOKEN_TRANSCRIPT, content_note, media, publish_story, theme

pytestmark = pytest.mark.django_db


def test_home_introduces_voicebox_and_features_recent_stories(client, index):
    hope = theme("Hope and recovery")
    publish_story(index, "The walk home", body=("I walked home the long way.",))
    html = client.get("/").content.decode()
    assert "Share your story" in html
    assert "The walk home" in html
    assert f'href="/themes/{hope.slug}/"' in html


def test_index_lists_published_stories_only_and_drops_unpublished_at_once(client, index):
    kept = publish_story(index, "Kept story", body=("Still here.",))
    withdrawn = publish_story(index, "Withdrawn story", body=("Going soon.",))
    from stories.models import StoryPage

    index.add_child(instance=StoryPage(title="A draft nobody should see", live=False))
    html = client.get("/stories/").content.decode()
    assert "Kept story" in html and "Withdrawn story" in html
    assert "A draft nobody should see" not in html

    withdrawn.unpublish()
    html = client.get("/stories/").content.decode()
    assert "Withdrawn story" not in html
    assert "Kept story" in html
    assert client.get(kept.url).status_code == 200
    assert client.get(withdrawn.url).status_code == 404


def test_index_filters_by_theme_format_and_language(client, index):
    family = theme("Family")
    publish_story(index, "Family text", body=("x",), themes=(family,))
    publish_story(index, "Polish voice", story_format="audio", transcript=SPOKEN_TRANSCRIPT, language="pl")
    publish_story(index, "Other text", body=("y",))

    def titles(query):
        html = client.get(f"/stories/?{query}").content.decode()
        return set(re.findall(r'class="story-card-title"><a href="[^"]+"[^>]*>([^<]+)</a>', html))

    assert titles("") == {"Family text", "Polish voice", "Other text"}
    assert titles(f"theme={family.slug}") == {"Family text"}
    assert titles("format=audio") == {"Polish voice"}
    assert titles("language=pl") == {"Polish voice"}
    assert titles("format=text&language=pl") == set()
    # Nonsense in the query string is ignored, not an error.
    assert titles("format=<script>&theme=../../x") == {"Family text", "Polish voice", "Other text"}


def test_index_paginates(client, index):
    for number in range(14):
        publish_story(index, f"Story number {number:02d}", body=("text",))
    first = client.get("/stories/").content.decode()
    second = client.get("/stories/?page=2").content.decode()
    assert "Story number 13" in first and "Story number 00" not in first
    assert "Story number 00" in second and "Story number 13" not in second
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    assert client.get("/stories/?page=999").status_code == 200


def test_reader_can_hide_stories_with_given_content_notes(client, index):
    self_harm = content_note("Self-harm")
    publish_story(index, "A hard story", body=("x",), notes=(self_harm,))
    publish_story(index, "A gentle story", body=("y",))

    page = client.get("/reading-preferences/?next=/stories/")
    assert "Self-harm" in page.content.decode()
    response = client.post("/reading-preferences/", {"hide": [self_harm.slug], "next": "/stories/"})
    assert response.status_code == 302 and response["Location"] == "/stories/"
    assert response.cookies[HIDDEN_NOTES_COOKIE].value == self_harm.slug

    html = client.get("/stories/").content.decode()
    assert "A gentle story" in html and "A hard story" not in html
    assert "Self-harm are hidden" in html or "about Self-harm" in html
    assert "A hard story" not in client.get("/").content.decode()

    # Choosing nothing clears the preference; an outside "next" is never followed.
    response = client.post("/reading-preferences/", {"next": "https://elsewhere.example/"})
    assert response["Location"] == "/stories/"
    assert "A hard story" in client.get("/stories/").content.decode()


def test_text_story_page_has_notes_as_an_openable_notice_and_the_experienced_too_button(client, index):
    note = content_note("Suicidal thoughts")
    story = publish_story(index, "Night shift", body=("First paragraph.", "Second <b>paragraph</b>."), notes=(note,))
    html = client.get(story.url).content.decode()
    notice = re.search(r'<details class="content-notes">(.*?)</details>', html, re.S)
    assert notice and "Suicidal thoughts" in notice[1]
    assert html.index('<details class="content-notes">') < html.index("<p>First paragraph.")
    assert "Second &lt;b&gt;paragraph&lt;/b&gt;." in html
    assert "<audio" not in html and "<video" not in html
    assert 'action="/experienced-too/' in html
    assert "crisis" in html.lower()


def test_audio_story_page_plays_the_published_copy_with_captions_and_an_interactive_transcript(client, index):
    story = publish_story(
        index, "Allotment days", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=media("audio")
    )
    html = client.get(story.url).content.decode()
    source = published_media_url(story)
    assert f'<audio id="story-player" class="player-media" controls preload="metadata" src="{source}"' in html
    assert f'<track kind="captions" src="/captions/{story.pk}.vtt" srclang="en"' in html
    assert 'href="?t=1.4"' in html and 'href="?t=0"' in html
    assert "The allotment was where I could breathe." in html
    assert "js/player.js" in html
    assert client.get(source).status_code == 200
    assert client.get(f"/captions/{story.pk}.vtt").status_code == 200


def test_transcript_only_story_shows_the_words_and_no_media(client, index):
    story = publish_story(
        index,
        "My words, not my voice",
        story_format="video",
        transcript=SPOKEN_TRANSCRIPT,
        story_media=media("video"),
        show_media=False,
    )
    html = client.get(story.url).content.decode()
    assert "My peer worker never once rushed me." in html
    assert "<video" not in html and "<audio" not in html and "story-media/" not in html
    assert "?t=" not in html
    assert "words, not their voice" in html


def test_themes_index_and_theme_page(client, index):
    family = theme("Family", description="Parents, children, partners and carers.")
    suggested = theme("Allotments", origin="suggested")
    publish_story(index, "Family story", body=("x",), themes=(family,))
    publish_story(index, "Unthemed story", body=("y",))

    html = client.get("/themes/").content.decode()
    assert "Family" in html and "1 story" in html and "Allotments" in html
    theme_html = client.get(f"/themes/{family.slug}/").content.decode()
    assert "Family story" in theme_html and "Unthemed story" not in theme_html
    assert f"/feeds/themes/{family.slug}/" in theme_html
    assert client.get(f"/themes/{suggested.slug}/").status_code == 200
    assert client.get("/themes/no-such-theme/").status_code == 404
