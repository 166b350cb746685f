"""The contributor checks the transcript on /my-story/<key>/transcript/: correct lines, confirm, or send as it is."""

import pytest

from moderation.models import AuditEvent, StoryStatus
from tests.factories import ContributionFactory, site_tree
from tests.speech_samples import silence, story_with_recording
from transcription.models import JobStatus, Transcript, TranscriptionJob

pytestmark = pytest.mark.django_db

SEGMENTS = [
    {
        "start": 0.5,
        "end": 2.0,
        "text": "I kept going to the clinic.",
        "words": [{"start": 0.5, "end": 0.9, "word": " I", "probability": 0.9}],
    },
    {
        "start": 2.5,
        "end": 5.25,
        "text": "The nurse their was kind.",
        "words": [{"start": 2.5, "end": 2.9, "word": " The", "probability": 0.9}],
    },
]


@pytest.fixture
def contribution(tmp_path):
    site_tree()
    story = story_with_recording(silence(tmp_path / "recording.wav", seconds=1))
    return ContributionFactory(story=story, status=StoryStatus.AWAITING_CONTRIBUTOR)


def transcribed(contribution, status=JobStatus.DONE, segments=SEGMENTS):
    TranscriptionJob.objects.create(story=contribution.story, status=status, progress=100)
    if status == JobStatus.DONE:
        Transcript.objects.create(
            story=contribution.story, language="en", duration=6, segments=segments, model_name="base"
        )


def url(contribution) -> str:
    return f"/my-story/{contribution.key}/transcript/"


def test_lines_are_shown_beside_the_private_player(client, contribution):
    transcribed(contribution)
    html = client.get(url(contribution)).content.decode()
    assert f'src="/my-story/{contribution.key}/recording/"' in html
    assert "Line 2, from 0:02 to 0:05" in html
    assert "The nurse their was kind.</textarea>" in html
    status_page = client.get(f"/my-story/{contribution.key}/").content.decode()
    assert "Check the transcript" in status_page and url(contribution) in status_page


def test_a_corrected_line_keeps_its_timing_and_the_story_goes_to_moderation(client, contribution):
    transcribed(contribution)
    response = client.post(
        url(contribution),
        {"line-0": "I kept going to the clinic.", "line-1": "The nurse there was kind.", "action": "confirm"},
    )
    assert response.status_code == 302 and response["Location"] == f"/my-story/{contribution.key}/"
    transcript = Transcript.objects.get(story=contribution.story)
    assert transcript.segments == SEGMENTS  # Whisper's version is kept as it was
    assert transcript.confirmed_segments == [
        SEGMENTS[0],
        # The corrected line's words are aligned to the words Whisper heard: "The" keeps its time.
        {
            "start": 2.5,
            "end": 5.25,
            "text": "The nurse there was kind.",
            "words": [
                {"start": 2.5, "end": 2.9, "word": " The", "probability": 0.9},
                *[{"start": 2.9, "end": 5.25, "word": f" {w}"} for w in ("nurse", "there", "was", "kind.")],
            ],
        },
    ]
    assert transcript.current_segments == transcript.confirmed_segments
    assert transcript.text == "I kept going to the clinic. The nurse there was kind."
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.IN_MODERATION
    assert contribution.story.specific.workflow_in_progress
    assert AuditEvent.objects.filter(story_ref=contribution.story_id, action="transcript_confirmed").exists()

    # Once with the moderators, the page shows the confirmed version and takes no more changes.
    html = client.get(url(contribution)).content.decode()
    assert "This is the version the moderators see" in html and "<textarea" not in html
    client.post(url(contribution), {"line-0": "Changed later", "line-1": "", "action": "confirm"})
    assert Transcript.objects.get(story=contribution.story).confirmed_segments[0]["text"] == SEGMENTS[0]["text"]


def test_send_it_as_it_is(client, contribution):
    transcribed(contribution)
    client.post(url(contribution), {"line-0": "ignored", "action": "as-it-is"})
    transcript = Transcript.objects.get(story=contribution.story)
    assert transcript.is_confirmed and transcript.confirmed_segments == SEGMENTS
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.IN_MODERATION
    assert AuditEvent.objects.filter(story_ref=contribution.story_id, action="transcript_sent_as_is").exists()


def test_a_line_too_long_keeps_everything_typed(client, contribution):
    transcribed(contribution)
    typed = "The nurse there was kind, " + "so kind " * 300
    response = client.post(url(contribution), {"line-0": "My own words", "line-1": typed, "action": "confirm"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some lines are too long" in html and "My own words</textarea>" in html and typed.strip() in html
    assert not Transcript.objects.get(story=contribution.story).is_confirmed
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.AWAITING_CONTRIBUTOR


def test_progress_while_transcribing(client, contribution):
    contribution.status = StoryStatus.PROCESSING
    contribution.save()
    TranscriptionJob.objects.create(story=contribution.story, status=JobStatus.RUNNING, progress=42)
    html = client.get(url(contribution)).content.decode()
    assert 'value="42"' in html and "42% done" in html and 'http-equiv="refresh"' in html
    assert "<textarea" not in html
    status_page = client.get(f"/my-story/{contribution.key}/").content.decode()
    assert "42% done" in status_page
    client.post(url(contribution), {"action": "as-it-is"})
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PROCESSING


def test_no_speech_can_still_go_to_moderation(client, contribution):
    transcribed(contribution, status=JobStatus.NO_SPEECH)
    html = client.get(url(contribution)).content.decode()
    assert "We couldn't hear any speech" in html
    client.post(url(contribution))
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.IN_MODERATION
    assert AuditEvent.objects.filter(story_ref=contribution.story_id, action="transcript_skipped").exists()


def test_unavailable_waits(client, contribution):
    transcribed(contribution, status=JobStatus.UNAVAILABLE)
    html = client.get(url(contribution)).content.decode()
    assert "We can't write out your recording just now" in html and "<form" not in html.split("<main")[1]


def test_written_stories_skip_the_step_and_wrong_keys_get_404(client):
    site_tree()
    written = ContributionFactory(status=StoryStatus.IN_MODERATION)
    response = client.get(f"/my-story/{written.key}/transcript/")
    assert response.status_code == 302 and response["Location"] == f"/my-story/{written.key}/"
    assert client.get("/my-story/not-a-real-key/transcript/").status_code == 404
