"""Collections (/collections/<slug>/) and their training packs honour each story's live state and consent: a story
taken down for now, or narrowed to its transcript, leaves the collection page and a new pack's recordings at once; a
pack, opened as a zip, holds each story's words, captions, its recording only where the contributor agreed, and a
README with the terms each story was shared under and the date. Peer moderators and staff curate them in the admin."""

import io
import zipfile

import pytest
from django.core.cache import cache
from django.utils import timezone

from curated.models import CollectionStory, StoryCollection
from moderation import hiding, workflows
from moderation.models import ConsentRecord, StoryStatus
from stories.models import StoryPage
from tests.factories import ConsentRecordFactory, ContributionFactory, StoryPageFactory
from tests.moderators import moderator, peer_moderator, sign_in
from tests.public_site import SPOKEN_TRANSCRIPT, build_site, media, publish_story
from tests.test_change_choices import answers
from tests.workers import run_queue

pytestmark = pytest.mark.django_db

INTRODUCTION = "Stories for the Willow Ward visit: waiting, and being listened to."


def published_recording(capture, publisher, title: str, name: str):
    """An audio story, named, with its recording, published by a moderator's decision (the real workflow and task),
    and the confirmed transcript publication copies onto the page."""
    story = StoryPageFactory(
        parent=build_site(), title=title, slug=title.lower().replace(" ", "-"), story_format="audio", media=media()
    )
    story.display_name = name
    story.save_revision()
    contribution = ContributionFactory(story=story)
    ConsentRecordFactory(contribution=contribution, identity=ConsentRecord.Identity.PSEUDONYM)
    workflows.start_moderation(contribution)
    with capture(execute=True):
        workflows.perform_action(story.current_workflow_task_state.specific, publisher, "publish")
    run_queue("publication")
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED
    StoryPage.objects.filter(pk=story.pk).update(transcript=SPOKEN_TRANSCRIPT)
    return contribution


@pytest.fixture
def ward_visit(django_capture_on_commit_callbacks):
    """A collection of, in this order: Rivers's recording, a story staff published, and Kay's recording."""
    cache.clear()
    publisher = moderator("publisher")
    rivers = published_recording(django_capture_on_commit_callbacks, publisher, "Quiet hours", "Sam Rivers")
    kay = published_recording(django_capture_on_commit_callbacks, publisher, "The allotment", "Kay Lowe")
    written = publish_story(build_site(), "Small wins", body=("A notebook of small wins.",))
    collection = StoryCollection.objects.create(title="Willow Ward visit", slug="willow", introduction=INTRODUCTION)
    for order, story_id in enumerate([rivers.story_id, written.pk, kay.story_id]):
        CollectionStory.objects.create(collection=collection, story_id=story_id, sort_order=order)
    return collection, rivers.story.specific, written, kay.story.specific, rivers, kay


def open_pack(client, slug: str) -> zipfile.ZipFile:
    response = client.get(f"/collections/{slug}/training-pack.zip")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/zip" and response["Cache-Control"] == "no-store"
    assert f'filename="voicebox-{slug}-{timezone.localdate():%Y-%m-%d}.zip"' in response["Content-Disposition"]
    pack = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert pack.testzip() is None
    return pack


def titles_in_order(html: str, *titles: str) -> list[str]:
    return sorted((title for title in titles if title in html), key=html.index)


def test_a_collection_shows_its_public_stories_in_its_order_with_its_introduction(client, ward_visit):
    collection, rivers, written, kay, *_ = ward_visit
    html = client.get("/collections/willow/").content.decode()
    assert INTRODUCTION in html
    assert titles_in_order(html, "The allotment", "Quiet hours", "Small wins") == [
        "Quiet hours",
        "Small wins",
        "The allotment",
    ]
    assert 'href="/collections/willow/training-pack.zip"' in html
    assert 'href="/collections/willow/"' in client.get("/collections/").content.decode()
    assert client.get("/collections/no-such-thing/").status_code == 404
    assert client.get("/collections/no-such-thing/training-pack.zip").status_code == 404


def test_a_training_pack_holds_words_captions_agreed_recordings_and_the_terms(client, ward_visit):
    collection, rivers, written, kay, *_ = ward_visit
    pack = open_pack(client, "willow")
    names = set(pack.namelist())
    recording = f"01-quiet-hours/recording{rivers.media.published_file.name[-4:]}"
    assert {
        "README.txt",
        "01-quiet-hours/story.txt",
        "01-quiet-hours/captions.vtt",
        recording,
        "02-small-wins/story.txt",
        "03-the-allotment/story.txt",
        "03-the-allotment/captions.vtt",
    } <= names
    # A story staff published has no contributor's agreement behind a recording; it has no transcript either.
    assert not any(name.startswith("02-small-wins/") for name in names - {"02-small-wins/story.txt"})
    with rivers.media.published_file.open("rb") as published:
        assert pack.read(recording) == published.read()  # the published copy: metadata-free, redactions applied
    assert pack.read("01-quiet-hours/captions.vtt").decode().startswith("WEBVTT")
    assert "My peer worker never once rushed me." in pack.read("01-quiet-hours/captions.vtt").decode()
    story = pack.read("01-quiet-hours/story.txt").decode()
    assert story.startswith("Quiet hours\nShared by Sam Rivers") and "The allotment was where I could breathe." in story
    assert "A notebook of small wins." in pack.read("02-small-wins/story.txt").decode()

    readme = pack.read("README.txt").decode()
    consent = ConsentRecord.objects.filter(contribution__story=rivers).get()
    assert f"Made on {timezone.localtime():%-d %B %Y}" in readme and INTRODUCTION in readme
    assert f"Shared under: {consent.consent_text.title} (version {consent.text_version_hash[:12]})" in readme
    assert f"agreed on {timezone.localtime(consent.given_at):%-d %B %Y}" in readme
    assert "Recording: Publish my recording." in readme and consent.consent_text.body.strip() in readme
    assert "Published by Voicebox staff; no contributor's consent record applies. No recording." in readme


def test_a_story_taken_down_or_narrowed_leaves_the_collection_and_new_packs_at_once(
    client, ward_visit, django_capture_on_commit_callbacks
):
    collection, rivers, written, kay, rivers_contribution, kay_contribution = ward_visit
    with django_capture_on_commit_callbacks(execute=True):
        hiding.take_down_for_now(rivers_contribution)  # the contributor's "take down for now"
        narrowed = client.post(
            f"/my-story/{kay_contribution.key}/choices/",
            answers(display_name="Kay Lowe", media_use="transcript"),
        )
    assert narrowed.status_code == 302

    html = client.get("/collections/willow/").content.decode()
    assert "Quiet hours" not in html and "Sam Rivers" not in html
    assert titles_in_order(html, "Small wins", "The allotment") == ["Small wins", "The allotment"]
    pack = open_pack(client, "willow")
    names = set(pack.namelist())
    assert names == {
        "README.txt",
        "01-small-wins/story.txt",
        "02-the-allotment/story.txt",
        "02-the-allotment/captions.vtt",
    }
    readme = pack.read("README.txt").decode()
    assert "Quiet hours" not in readme and "Sam Rivers" not in readme
    assert "Recording: My words, not my voice: publish the transcript only." in readme
    # The collection still names the story taken down for now: if its contributor puts it back, it is back here too.
    assert CollectionStory.objects.filter(story=rivers).exists()


def test_a_story_narrowed_to_researchers_only_leaves_the_collection(
    client, ward_visit, django_capture_on_commit_callbacks
):
    kay_contribution = ward_visit[5]
    with django_capture_on_commit_callbacks(execute=True):
        narrowed = client.post(
            f"/my-story/{kay_contribution.key}/choices/",
            answers(audience="researchers", display_name="Kay Lowe"),
        )
    assert narrowed.status_code == 302
    assert "The allotment" not in client.get("/collections/willow/").content.decode()
    pack = open_pack(client, "willow")
    assert "The allotment" not in pack.read("README.txt").decode()
    assert not any("allotment" in name for name in pack.namelist())
    assert "Collections for training and learning" in client.get("/collections/willow/").content.decode()


def test_a_story_whose_consent_has_ended_is_left_out_before_the_sweeper_runs(client, ward_visit):
    collection, rivers, written, kay, rivers_contribution, _ = ward_visit
    consent = rivers_contribution.consents.get()
    consent.expires_on = timezone.localdate()
    consent.save(update_fields=["expires_on"])
    assert "Quiet hours" not in client.get("/collections/willow/").content.decode()
    assert not any("quiet-hours" in name for name in open_pack(client, "willow").namelist())


@pytest.mark.parametrize("who", [peer_moderator, moderator])
def test_peer_moderators_and_staff_curate_collections_in_the_admin(who, ward_visit):
    collection = ward_visit[0]
    curator = sign_in(who())
    assert curator.get("/admin/snippets/curated/storycollection/").status_code == 200
    assert curator.get(f"/admin/snippets/curated/storycollection/edit/{collection.pk}/").status_code == 200
    assert curator.get("/admin/snippets/curated/storycollection/add/").status_code == 200


def test_what_a_collection_shows_costs_the_same_queries_however_many_contributed_stories_it_holds(
    ward_visit, django_capture_on_commit_callbacks
):
    """Each story's latest consent is read for all of them at once, not one query per story."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from curated.showing import showing

    collection, *_ = ward_visit
    with CaptureQueriesContext(connection) as two_contributed:
        assert len(showing(collection)) == 3
    third = published_recording(django_capture_on_commit_callbacks, moderator("another"), "Fog", "Lee")
    CollectionStory.objects.create(collection=collection, story_id=third.story_id, sort_order=3)
    with CaptureQueriesContext(connection) as three_contributed:
        assert len(showing(collection)) == 4
    assert len(three_contributed.captured_queries) == len(two_contributed.captured_queries)
