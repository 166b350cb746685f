"""Redaction removes exactly the words chosen: the review screen sends where they are (no occurrence counting), and
a title, a display name and a summary can be redacted too, with search, feeds and the API following."""

import html
import re

import pytest

from moderation.models import Contribution, Redaction, StoryStatus
from stories.models import StoryPage
from tests import sharing
from tests.moderators import action_url, moderator, sign_in
from tests.workers import run_queue

# Every test here has the site tree (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]

STORY = "Sam rang me, and then Sam came round.\nWe walked to the West of town.\n\nThe peer group met there on Fridays."


def share(client, **choices) -> tuple[Contribution, str]:
    answers = sharing.choice_answers(minimal_edits="no", **choices)
    story = sharing.story_answers(title="Leaving Leeds General", text=STORY)
    fields = sharing.fill_in(client, story=story, choices=answers)
    assert client.post("/share/check/", fields).status_code == 302
    key = sharing.story_link(client.get("/share/done/").content.decode()).rstrip("/").rsplit("/", 1)[1]
    return Contribution.objects.get(idempotency_key=fields["token"]), key


def redact(mo, contribution, where: str, passage: str, start=None, end=None, label: str = "name"):
    fields = {"where": where, "passage": passage, "code": "identifies_third_party", "label": label}
    if start is not None:
        fields |= {"start": start, "end": end}
    return mo.post(f"/admin/moderation/story/{contribution.pk}/redactions/", fields)


def selectable_texts(review_html: str) -> dict[str, str]:
    """What the selection script counts in: each [data-text] element's text, by its data-where."""
    found = re.findall(r'<span data-text data-where="([^"]+)"[^>]*>([^<]*)</span>', review_html)
    return {where: html.unescape(text) for where, text in found}


def test_the_selected_words_are_the_words_removed(client):
    contribution, _key = share(client)
    mo = sign_in(moderator())
    review = mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    texts = selectable_texts(review)
    # The screen shows each text character for character (line breaks as characters, not <br>), so the script's
    # offsets are the server's offsets.
    assert texts["body:0"] == "Sam rang me, and then Sam came round.\nWe walked to the West of town."
    assert texts["title:0"] == "Leaving Leeds General" and texts["display_name:0"] == "Sam"
    assert 'name="occurrence"' not in review and 'name="start"' in review and 'name="end"' in review

    # "Sam" appears twice: selecting the first removes the first, selecting the second the second.
    assert redact(mo, contribution, "body:0", "Sam", 0, 3).status_code == 302
    first = Redaction.objects.get()
    assert (first.index, first.start, first.end, first.passage) == (0, 0, 3, "Sam")
    second_at = texts["body:0"].index("Sam", 1)
    assert redact(mo, contribution, "body:0", "Sam", second_at, second_at + 3).status_code == 302
    assert sorted(Redaction.objects.values_list("start", flat=True)) == [0, second_at]

    # "the West" appears once: the selection sends its range, and typing it by hand finds the same place.
    west = texts["body:0"].index("the West")
    assert redact(mo, contribution, "body:0", "the West", west, west + 8, label="place").status_code == 302
    assert Redaction.objects.get(passage="the West").start == west
    Redaction.objects.filter(passage="the West").delete()
    assert redact(mo, contribution, "body:0", "the West", label="place").status_code == 302
    assert Redaction.objects.get(passage="the West").start == west

    # Words typed by hand that appear twice are never guessed at; a range that doesn't hold the words is refused.
    Redaction.objects.filter(passage="Sam").delete()
    response = redact(mo, contribution, "body:0", "Sam")
    assert response.status_code == 400 and "appear 2 times" in response.content.decode()
    response = redact(mo, contribution, "body:0", "Sam", 1, 4)
    assert response.status_code == 400 and "select them again" in response.content.decode()
    assert not Redaction.objects.filter(passage="Sam").exists()


def test_a_title_and_display_name_can_be_redacted_and_search_feeds_and_api_follow(
    client, django_capture_on_commit_callbacks
):
    contribution, key = share(client, identity="pseudonym", display_name="Sam from Leeds")
    mo = sign_in(moderator())
    page = StoryPage.objects.get(pk=contribution.story_id)
    assert page.slug.startswith("leaving-leeds-general")
    assert redact(mo, contribution, "title:0", "Leeds", 8, 13, label="place").status_code == 302
    assert redact(mo, contribution, "display_name:0", "Leeds", 9, 14, label="place").status_code == 302
    assert mo.post(action_url(contribution, "propose_edits")).status_code == 302

    edits = client.get(f"/my-story/{key}/edits/").content.decode()
    assert "<h2>Title</h2>" in edits and "<h2>Display name</h2>" in edits and "<del>Leeds</del>" in edits
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{key}/edits/", {"answer": "accept"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        run_queue("publication")
    run_queue("default")  # the search index is updated by a task

    contribution.refresh_from_db()
    page.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED and page.live
    assert page.title == "Leaving [place removed] General" and page.byline == "Sam from [place removed]"
    # The address was made from the title: it is made again from the redacted one.
    assert "leeds" not in page.slug and "leeds" not in page.url.lower()
    story_html = client.get(page.url).content.decode()
    assert "Leeds" not in story_html and "Leaving [place removed] General" in story_html
    assert "Sam from [place removed]" in story_html
    for address in ("/feeds/stories/", "/feeds/stories/atom/", "/api/v2/stories/?fields=*"):
        response = client.get(address)
        assert response.status_code == 200 and "Leeds" not in response.content.decode(), address
    # Search finds the story by its other words; searching for the removed word shows it nowhere (the search page
    # repeats the query itself, so the story's own words are what is looked for).
    assert page.url in client.get("/search/?q=General").content.decode()
    found = client.get("/search/?q=Leeds").content.decode()
    assert "Leaving Leeds" not in found and "from Leeds" not in found
    api = client.get(f"/api/v2/stories/{page.pk}/").json()
    assert api["title"] == "Leaving [place removed] General" and api["byline"] == "Sam from [place removed]"
