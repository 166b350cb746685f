"""`manage.py load_demo` and `manage.py ensure_local_admin`: a living site on a fresh installation, repeatable."""

import io
import re

import av
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils.html import escape
from wagtail.models import Page, Site

from demo.collections import STORY_SLUGS
from demo.content import AUDIO_STORY, CONTENT_NOTES, DEMO_STORIES, THEMES
from moderation.models import ConsentText
from stories.links import published_media_url
from stories.models import ContentNote, HomePage, StoryIndexPage, StoryMedia, StoryPage, Theme

pytestmark = [pytest.mark.django_db, pytest.mark.production_parts]


def load_demo() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=out, stderr=err)
    assert err.getvalue() == "", err.getvalue()
    return out.getvalue()


def site_state() -> dict:
    return {
        "pages": sorted(Page.objects.values_list("url_path", "live")),
        "revisions": sorted(Page.objects.values_list("pk", "latest_revision_id")),
        "themes": sorted(Theme.objects.values_list("name", "origin")),
        "notes": sorted(ContentNote.objects.values_list("name", flat=True)),
        "consent": sorted(ConsentText.objects.values_list("pk", "is_current", "latest_revision_id")),
        "media": sorted(StoryMedia.objects.values_list("file", "published_file")),
        "sites": sorted(Site.objects.values_list("hostname", "root_page_id", "is_default_site")),
    }


def test_load_demo_builds_a_living_site(client):
    assert "The demo site is ready." in load_demo()

    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists(), "Wagtail's welcome page is gone"
    index = StoryIndexPage.objects.get()
    assert index.url == "/stories/"
    assert set(Theme.objects.filter(origin=Theme.Origin.CURATED).values_list("name", flat=True)) >= set(THEMES)
    assert set(ContentNote.objects.values_list("name", flat=True)) >= set(CONTENT_NOTES)
    consent = ConsentText.current()
    assert consent is not None and consent.latest_revision is not None

    stories = StoryPage.objects.live().public().child_of(index)
    assert stories.count() == len(DEMO_STORIES) + 1
    assert stories.filter(story_format="audio").count() == 1
    home_page = client.get("/")
    assert home_page.status_code == 200
    assert home.intro in home_page.content.decode()
    listing = client.get("/stories/").content.decode()
    for story in stories:
        page = client.get(story.url)
        assert page.status_code == 200, story.url
        assert escape(story.paragraphs[0]) in page.content.decode()
        assert story.url in listing
    # A collection of demo stories, in its order, with a training pack that opens.
    collection = client.get("/collections/being-listened-to/").content.decode()
    titles = [StoryPage.objects.get(slug=slug).title for slug in STORY_SLUGS]
    assert sorted(titles, key=lambda title: collection.index(escape(title))) == titles
    assert client.get("/collections/being-listened-to/training-pack.zip").status_code == 200


def test_demo_stories_speak_in_varied_voices():
    load_demo()

    titles = {story.slug: story for story in [*DEMO_STORIES, AUDIO_STORY]}
    critical = " ".join(titles["nobody-asked-what-i-wanted"].paragraphs)
    assert "angry" in critical and "crisis team" in critical
    assert "recovery" in titles["i-dont-do-recovery"].title
    assert "Restraint" in titles["nobody-asked-what-i-wanted"].content_notes
    assert StoryPage.objects.get(slug="nobody-asked-what-i-wanted").byline == "Anonymous"


def test_the_demo_audio_story_plays_from_its_public_url(client):
    load_demo()
    story = StoryPage.objects.get(slug=AUDIO_STORY.slug)

    url = published_media_url(story)
    assert url is not None
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("audio/")
    audio = b"".join(response.streaming_content) if response.streaming else response.content
    with av.open(io.BytesIO(audio)) as container:
        assert container.streams.audio, "the published copy has an audio stream"
        assert 50 < container.duration / 1_000_000 < 56
        assert not container.metadata.get("title") and not container.metadata.get("artist")
    assert url in client.get(story.url).content.decode(), "the story page offers the recording"
    # Captions come from the recording's line timings.
    assert story.transcript[1]["text"] == "From fairest creatures we desire increase,"
    assert story.transcript[1]["start"] < story.transcript[1]["end"]


def test_load_demo_twice_changes_nothing():
    load_demo()
    before = site_state()

    load_demo()

    assert site_state() == before


def test_load_demo_keeps_what_editors_changed():
    load_demo()
    home = HomePage.objects.get()
    home.intro = "Our own words for the home page."
    home.save_revision().publish()
    Theme.objects.filter(name="Medication").update(description="Edited by the team.")

    load_demo()

    assert HomePage.objects.get().intro == "Our own words for the home page."
    assert Theme.objects.get(name="Medication").description == "Edited by the team."


def ensure_local_admin() -> str:
    out = io.StringIO()
    call_command("ensure_local_admin", stdout=out)
    return out.getvalue()


@override_settings(DEBUG=True, LOCAL_ADMIN_PASSWORD="")
def test_ensure_local_admin_prints_a_generated_password_once(client):
    first = ensure_local_admin()

    password = re.search(r"Password: (\S+)", first).group(1)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(password)
    second = ensure_local_admin()
    assert password not in second
    assert "already exists; its password is unchanged" in second
    assert get_user_model().objects.get(username="admin").check_password(password)


@override_settings(DEBUG=True, LOCAL_ADMIN_PASSWORD="a-password-I-chose-myself")
def test_ensure_local_admin_uses_the_password_from_the_environment():
    get_user_model().objects.create_superuser("admin", password="an-older-password-123")

    output = ensure_local_admin()

    assert "a-password-I-chose-myself" not in output
    assert get_user_model().objects.get(username="admin").check_password("a-password-I-chose-myself")


@override_settings(DEBUG=False)
def test_ensure_local_admin_refuses_outside_development():
    with pytest.raises(CommandError, match="only for a developer's machine"):
        ensure_local_admin()
    assert not get_user_model().objects.filter(username="admin").exists()
