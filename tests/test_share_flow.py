"""The share flow at /share/ through the real views, database and file storage: what a submission creates."""

from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult
from faster_whisper.tokenizer import _LANGUAGE_CODES as WHISPER_LANGUAGES
from wagtail.models import Revision

from contributions.forms import LANGUAGE_CHOICES
from contributions.models import HeldUpload
from moderation.models import AuditEvent, ConsentRecord, ConsentText, Contribution, StoryStatus
from moderation.models.contributions import hash_story_key
from stories.media_intake import MediaRejected
from stories.models import StoryMedia, StoryPage
from tests import moderators, sharing
from tests.factories import ContentNoteFactory, ThemeFactory
from transcription.models import TranscriptionJob

# Every test here has the site tree (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]


def test_a_text_story_becomes_a_draft_with_its_consent_record(client, story_index):
    theme = ThemeFactory(name="Peer support")
    ThemeFactory(name="Suggested by someone", origin="suggested")
    note = ContentNoteFactory(name="Self-harm")
    choices = sharing.choice_answers(themes=[str(theme.pk)], content_notes=[str(note.pk)])

    fields = sharing.fill_in(client, choices=choices)
    response = client.post("/share/check/", fields)

    assert response.status_code == 302 and response["Location"] == "/share/done/"
    story = StoryPage.objects.get()
    assert story.live is False and story.first_published_at is None
    assert story.get_parent().specific == story_index
    assert story.title == "Finding my feet again"
    assert story.paragraphs == [
        "The first winter was the hardest.\nI stopped answering the phone.",
        "Then a peer worker sat with me.",
    ]
    assert (story.story_format, story.media, story.language, story.display_name) == ("text", None, "en", "Sam")
    assert list(story.themes.all()) == [theme] and list(story.content_notes.all()) == [note]
    assert Revision.page_revisions.filter(object_id=str(story.pk)).count() == 1
    assert story.latest_revision is not None and story.live_revision is None

    contribution = Contribution.objects.get()
    assert contribution.story_id == story.pk
    assert contribution.status == StoryStatus.IN_MODERATION  # text stories confirm on submission
    assert (contribution.email, contribution.stated_language) == ("sam@example.org", "en")
    assert contribution.suggested_themes == "Allotments"
    assert contribution.idempotency_key == fields["token"]

    consent = ConsentRecord.objects.get()
    current = ConsentText.current()
    assert consent.contribution == contribution and consent.consent_text == current
    assert consent.text_version_hash == current.version_hash
    assert (consent.audience, consent.identity, consent.research_use) == ("both", "pseudonym", True)
    assert (consent.expires_on, consent.minimal_edits_preauthorised, consent.channel) == (None, True, "web")

    submitted = AuditEvent.objects.filter(action="submitted")
    assert list(submitted.values_list("story_ref", "actor_role")) == [(story.pk, "contributor")]
    # The private link is shown once, and it is the key whose hash was stored.
    done = client.get("/share/done/").content.decode()
    link = sharing.story_link(done)
    key = link.rstrip("/").rsplit("/", 1)[1]
    assert len(key) >= 43 and contribution.key_hash == hash_story_key(key)
    assert key not in client.get("/share/done/").content.decode()
    # A draft is not on the public site.
    assert client.get(f"/stories/{story.slug}/").status_code == 404


def test_an_audio_story_keeps_its_recording_private(client, shared_speech, django_capture_on_commit_callbacks):
    recording = shared_speech / "fleurs-en-000.ogg"

    fields = sharing.fill_in(
        client, method="upload", story=sharing.story_answers(text=None), media_file=sharing.upload(recording)
    )
    with django_capture_on_commit_callbacks() as on_commit:
        response = client.post("/share/check/", fields)
    # The transcription task is queued only once the story is committed.
    assert not DBTaskResult.objects.filter(queue_name="transcription").exists()
    for callback in on_commit:
        callback()

    assert response.status_code == 302
    story = StoryPage.objects.get()
    media = story.media
    assert story.live is False and story.story_format == "audio" and story.show_media is True
    assert media.type == "audio" and media.content_type == "audio/ogg" and media.duration > 1
    stored = Path(media.file.path)
    assert stored.is_file() and stored.stat().st_size > 0
    assert stored.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not stored.is_relative_to(settings.MEDIA_ROOT)
    assert "fleurs" not in media.file.name  # stored under a random name
    assert HeldUpload.objects.count() == 0  # claimed by the story
    contribution = Contribution.objects.get()
    assert contribution.status == StoryStatus.PROCESSING
    consent = ConsentRecord.objects.get(contribution=contribution)
    assert consent.media_use == "media" and consent.text_version_hash == ConsentText.current().version_hash
    # Transcription was asked for, with the stated language, in the same transaction as the story.
    job = TranscriptionJob.objects.get(story_id=story.pk)
    assert job.language == "en"
    task = DBTaskResult.objects.get(queue_name="transcription")
    assert (task.queue_name, task.args_kwargs["args"], job.task_id) == ("transcription", [story.pk], str(task.id))


def test_the_media_of_a_draft_is_not_reachable_by_any_public_url(client, shared_speech):
    fields = sharing.fill_in(
        client,
        method="upload",
        story=sharing.story_answers(text=None),
        media_file=sharing.upload(shared_speech / "fleurs-en-000.ogg"),
    )
    client.post("/share/check/", fields)
    story = StoryPage.objects.get()
    name = story.media.file.name

    anonymous = type(client)()
    assert anonymous.get(f"/story-media/{story.pk}/voicebox-story-{story.pk}.ogg").status_code == 404
    assert anonymous.get(f"{settings.MEDIA_URL}{name}").status_code == 404
    assert anonymous.get(f"/story-media/review/{story.media.pk}/").status_code == 404
    assert anonymous.get("/share/recording/").status_code == 404  # the preview belongs to the sender's session


def test_a_recording_can_be_heard_back_before_sending(client, shared_speech):
    recording = shared_speech / "fleurs-en-000.ogg"
    client.post("/share/", {"method": "upload"})
    client.post("/share/story/", {**sharing.story_answers(text=None), "media": sharing.upload(recording)})

    response = client.get("/share/recording/")

    assert response.status_code == 200 and response["Content-Type"] == "audio/ogg"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == Path(StoryMedia.objects.get().file.path).read_bytes()


def test_a_bad_upload_is_explained_kindly_and_keeps_what_was_typed(client, tmp_path, stored_files):
    page = tmp_path / "song.mp3"
    page.write_text("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>" * 20)
    client.post("/share/", {"method": "upload"})

    response = client.post(
        "/share/story/",
        {"title": "Walking the dog again", "language": "cy", "media": sharing.upload(page, content_type="audio/mpeg")},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert MediaRejected.not_media().message.replace("'", "&#x27;") in html
    assert "please choose it again" in html
    assert 'value="Walking the dog again"' in html
    assert '<option value="cy" selected>' in html
    assert 'href="#id_media"' in html  # the error summary links to the field
    assert HeldUpload.objects.count() == 0 and StoryMedia.objects.count() == 0 and stored_files.added() == set()
    # Nothing is lost by leaving the page either: the typed answers are kept for when they come back.
    assert 'value="Walking the dog again"' in client.get("/share/story/").content.decode()


def test_written_answers_survive_going_back_and_forth(client):
    client.post("/share/", {"method": "write"})
    client.post("/share/story/", {"title": "Half written", "text": "So far", "back": "1"})

    assert client.get("/share/").status_code == 200
    html = client.get("/share/story/").content.decode()
    assert 'value="Half written"' in html and "So far</textarea>" in html


def test_each_step_needs_the_one_before(client):
    assert client.get("/share/check/")["Location"] == "/share/?problems=1"
    client.post("/share/", {"method": "write"})
    assert client.get("/share/choices/")["Location"] == "/share/story/?problems=1"


def test_unanswered_questions_are_listed_and_linked_to(client):
    client.post("/share/", {"method": "write"})
    client.post("/share/story/", sharing.story_answers())

    response = client.post("/share/choices/", {"consent_version": ConsentText.current().version_hash})

    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert 'href="#id_audience_0">Choose who may see your story.</a>' in html
    assert 'aria-describedby="id_audience_error"' in html
    assert 'aria-describedby="id_identity_helptext id_identity_error"' in html
    assert 'href="#id_agree">Tick the box to say you agree' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"identity": "first_name", "display_name": ""}, "display_name", "Enter the name you&#x27;d like us to show"),
        ({"audience": "everyone"}, "audience", "Select a valid choice"),
        ({"expires_on": "2001-01-01"}, "expires_on", "Choose a date in the future"),
        ({"expires_on": "someday"}, "expires_on", "Enter the date as day, month and year"),
    ],
)
def test_choices_that_contradict_each_other_are_explained(client, overrides, field, message):
    client.post("/share/", {"method": "write"})
    client.post("/share/story/", sharing.story_answers())

    response = client.post("/share/choices/", sharing.choice_answers(**overrides))

    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert f'id="id_{field}_error"' in html


def test_a_consent_text_changed_midway_must_be_read_again(client):
    fields = sharing.fill_in(client)
    current = ConsentText.current()
    current.body += "\n\nA new sentence."
    current.save()

    response = client.post("/share/check/", fields)

    assert response.status_code == 302 and response["Location"] == "/share/choices/?problems=1"
    html = client.get(response["Location"]).content.decode()
    assert "have just been updated" in html and current.version_hash in html
    assert Contribution.objects.count() == 0 and StoryPage.objects.count() == 0


def test_choosing_to_record_without_javascript_offers_an_upload(client):
    client.post("/share/", {"method": "record"})

    html = client.get("/share/story/").content.decode()

    assert "Recording in the browser isn't available here: it needs JavaScript" in html
    assert 'type="file" name="media"' in html and 'accept="audio/*,video/*"' in html
    assert "data-recorder " in html and "hidden>" in html  # the recorder itself appears only with JavaScript


def test_a_recording_replaced_or_abandoned_leaves_no_file(
    client, shared_speech, stored_files, django_capture_on_commit_callbacks
):
    first = shared_speech / "fleurs-en-000.ogg"
    second = shared_speech / "fleurs-de-000.ogg"
    client.post("/share/", {"method": "upload"})
    client.post("/share/story/", {**sharing.story_answers(text=None), "media": sharing.upload(first)})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/share/story/", {**sharing.story_answers(text=None), "media": sharing.upload(second)})
    assert StoryMedia.objects.count() == 1 and len(stored_files.added()) == 1

    # They change their mind and write it instead: sending the story erases the unused recording.
    client.post("/share/", {"method": "write"})
    client.post("/share/story/", sharing.story_answers())
    client.post("/share/choices/", sharing.choice_answers())
    sharing.pretend_time_passed(client)
    fields = sharing.check_page_fields(client.get("/share/check/").content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/share/check/", fields)

    assert response.status_code == 302
    assert StoryPage.objects.get().media is None
    assert StoryMedia.objects.count() == 0 and HeldUpload.objects.count() == 0 and stored_files.added() == set()


def test_the_offered_languages_are_ones_whisper_knows():
    assert {code for code, _name in LANGUAGE_CHOICES if code} <= set(WHISPER_LANGUAGES)


def test_every_step_shows_crisis_signposting(client):
    client.post("/share/", {"method": "write"})
    for url in ("/share/", "/share/story/"):
        html = client.get(url).content.decode()
        assert 'href="tel:116123"' in html and "NHS 111" in html and "85258" in html and "999" in html


def test_consent_text_edits_in_the_admin_are_revisions_and_old_records_keep_their_version(client):
    fields = sharing.fill_in(client)
    client.post("/share/check/", fields)
    record = ConsentRecord.objects.get()
    old_hash = record.text_version_hash
    text = ConsentText.current()
    admin = moderators.sign_in(moderators.make_user("editor", superuser=True))

    response = admin.post(
        f"/admin/snippets/moderation/consenttext/edit/{text.pk}/",
        {
            "title": text.title,
            "body": text.body + "\n\nWe added this sentence.",
            "language": "en-gb",
            "is_current": "on",
        },
    )

    assert response.status_code == 302
    text.refresh_from_db()
    assert text.version_hash != old_hash and text.revisions.count() == 1
    assert "We added this sentence." in text.revisions.get().content["body"]
    record.refresh_from_db()
    assert record.text_version_hash == old_hash  # what that contributor read, not today's words
    client.post("/share/", {"method": "write"})
    client.post("/share/story/", sharing.story_answers())
    assert "We added this sentence." in client.get("/share/choices/").content.decode()
