"""Search at /search/: titles, text and transcripts, with filters, the matching passage and the moment it is said."""

import re

import pytest

from stories.search import best_passage, highlight, query_terms
from tests.public_site import SPOKEN_TRANSCRIPT, media, publish_story, theme

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    return re.findall(r'class="story-card-title"><a href="[^"]+"[^>]*>([^<]+)</a>', html)


def test_finds_words_said_only_in_a_transcript_and_links_to_the_moment(client, index):
    story = publish_story(
        index, "Green fingers", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=media("audio")
    )
    publish_story(index, "Unrelated", body=("Nothing to do with gardens.",))

    html = client.get("/search/", {"q": "allotment breathe"}).content.decode()
    assert titles(html) == ["Green fingers"]
    assert "The <mark>allotment</mark> was where I could <mark>breathe</mark>." in html
    assert f'href="{story.url}?t=1.4"' in html and "Listen from 0:01" in html


def test_finds_titles_and_written_text_and_highlights_the_passage(client, index):
    publish_story(index, "Learning to rest", body=("Nothing about sleep here.", "The crisis team listened to me."))
    html = client.get("/search/?q=crisis+team").content.decode()
    assert titles(html) == ["Learning to rest"]
    assert "The <mark>crisis</mark> <mark>team</mark> listened to me." in html
    assert "?t=" not in html
    assert titles(client.get("/search/?q=rest").content.decode()) == ["Learning to rest"]


def test_search_applies_the_same_filters(client, index):
    family = theme("Family")
    publish_story(index, "Family and voices", body=("Hearing voices at home.",), themes=(family,))
    publish_story(index, "Voices at work", body=("Hearing voices at work.",), language="cy")

    def found(query):
        return set(titles(client.get(f"/search/?q=voices&{query}").content.decode()))

    assert found("") == {"Family and voices", "Voices at work"}
    assert found(f"theme={family.slug}") == {"Family and voices"}
    assert found("language=cy") == {"Voices at work"}
    assert found("format=audio") == set()


def test_transcript_only_match_links_to_the_line_not_a_player(client, index):
    story = publish_story(
        index, "Unheard", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=media(), show_media=False
    )
    html = client.get("/search/?q=notebook").content.decode()
    assert f'href="{story.url}#line-0"' in html and "?t=" not in html


def test_withdrawn_and_draft_stories_are_never_found(client, index):
    story = publish_story(index, "Soon gone", body=("Marmalade sandwiches.",))
    assert titles(client.get("/search/?q=marmalade").content.decode()) == ["Soon gone"]
    story.unpublish()
    assert titles(client.get("/search/?q=marmalade").content.decode()) == []


def test_search_text_is_escaped_and_empty_queries_are_calm(client, index):
    publish_story(index, "Plain", body=("<script>alert(1)</script> tea",))
    html = client.get("/search/?q=%3Cscript%3E+tea").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert client.get("/search/").status_code == 200
    assert client.get("/search/?q=" + "x" * 5000).status_code == 200


def test_passage_helpers():
    assert query_terms("The voices, the VOICES!") == ["the", "voices"]
    pattern = re.compile(r"\b(?:voice)\w*", re.I)
    long_text = "word " * 100 + "voices here " + "word " * 100
    snippet = str(highlight(long_text, pattern))
    assert snippet.startswith("… ") and snippet.endswith(" …") and "<mark>voices</mark>" in snippet
    assert len(snippet) < 320


def test_best_passage_prefers_the_line_with_most_words(index):
    story = publish_story(index, "Two lines", transcript=SPOKEN_TRANSCRIPT, body=("A notebook.",))
    passage = best_passage(story, "peer worker rushed")
    assert passage.start == 2.8 and passage.line_index == 2
    assert best_passage(story, "zzz") is None
