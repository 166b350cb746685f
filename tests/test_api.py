"""The Wagtail API v2: published stories and their public fields; never a draft, a private field or a withdrawn one."""

import pytest
from django.conf import settings

from stories.links import published_media_url
from stories.models import StoryPage
from tests.public_site import SPOKEN_TRANSCRIPT, content_note, media, publish_story, theme

pytestmark = pytest.mark.django_db

PUBLIC_STORY_FIELDS = {
    "id",
    "meta",
    "title",
    "byline",
    "story_format",
    "language",
    "summary",
    "body",
    "transcript",
    "themes",
    "content_notes",
    "duration",
    "media_url",
    "captions_url",
}
PRIVATE_NAMES = ("media", "file", "published_file", "contribution", "owner", "locked_by", "email", "key_hash")


def test_lists_published_stories_with_their_public_fields(client, index):
    family = theme("Family")
    note = content_note("Self-harm")
    audio = publish_story(
        index,
        "Spoken story",
        story_format="audio",
        transcript=SPOKEN_TRANSCRIPT,
        story_media=media("audio", seconds=4.0),
        themes=(family,),
        notes=(note,),
        display_name="Sam",
    )
    publish_story(index, "Written story", body=("Some words.",))

    listing = client.get("/api/v2/stories/").json()
    assert listing["meta"]["total_count"] == 2
    assert {item["title"] for item in listing["items"]} == {"Spoken story", "Written story"}

    detail = client.get(f"/api/v2/stories/{audio.pk}/").json()
    assert set(detail) == PUBLIC_STORY_FIELDS
    assert detail["byline"] == "Sam"
    assert detail["themes"] == [{"name": "Family", "slug": family.slug}]
    assert detail["content_notes"] == ["Self-harm"]
    assert detail["duration"] == pytest.approx(4.0)
    assert detail["media_url"] == settings.WAGTAILAPI_BASE_URL + published_media_url(audio)
    assert detail["captions_url"] == f"{settings.WAGTAILAPI_BASE_URL}/captions/{audio.pk}.vtt"
    assert detail["transcript"][1]["text"] == SPOKEN_TRANSCRIPT[1]["text"]
    assert detail["meta"]["html_url"].endswith("/stories/spoken-story/")


def test_never_a_draft_nor_a_private_field(client, index):
    published = publish_story(index, "Published", body=("Public words.",))
    draft = StoryPage(title="Draft only", live=False, body=[("paragraph", "Secret draft words.")])
    index.add_child(instance=draft)
    draft.save_revision()
    # A later draft of a published story stays unpublished too.
    published.body = [("paragraph", "Unpublished edit.")]
    published.save_revision()

    everything = client.get("/api/v2/stories/?fields=*&limit=20").content.decode()
    assert "Draft only" not in everything and "Secret draft words." not in everything
    assert "Unpublished edit." not in everything and "Public words." in everything
    assert client.get(f"/api/v2/stories/{draft.pk}/").status_code == 404

    detail = client.get(f"/api/v2/stories/{published.pk}/?fields=*").json()
    for name in PRIVATE_NAMES:
        assert name not in detail and name not in detail["meta"]
    # Asking for a private field by name is refused, not answered.
    assert client.get("/api/v2/stories/?fields=media").status_code == 400
    assert client.get("/api/v2/stories/?fields=owner").status_code == 400
    # Other page types, or all pages, cannot be listed through the stories endpoint.
    assert client.get("/api/v2/stories/?type=wagtailcore.Page").json()["meta"]["total_count"] == 1


def test_transcript_only_story_has_no_media_url(client, index):
    story = publish_story(
        index, "Words only", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=media(), show_media=False
    )
    detail = client.get(f"/api/v2/stories/{story.pk}/").json()
    assert detail["media_url"] is None and detail["captions_url"] is None and detail["duration"] is None
    assert detail["transcript"]


def test_withdrawn_story_disappears_at_once(client, index):
    story = publish_story(index, "Withdrawn soon", body=("x",))
    assert client.get(f"/api/v2/stories/{story.pk}/").status_code == 200
    story.unpublish()
    assert client.get(f"/api/v2/stories/{story.pk}/").status_code == 404
    assert client.get("/api/v2/stories/").json()["meta"]["total_count"] == 0
