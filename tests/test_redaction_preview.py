"""The draft shows the exact silenced ranges, with a player previewing the redacted recording; the contributor hears
the same. A corrected transcript line keeps its word timings, so one redaction silences its words, not the line."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from moderation import redaction
from moderation.models import EditProposal, Redaction
from stories.models import StoryPage
from tests import media_factory, sharing
from tests.factories import heard_word, site_tree
from tests.moderators import action_url, make_user, moderator, sign_in
from tests.workers import run_queue
from transcription.models import JobStatus, Transcript, TranscriptionJob

pytestmark = pytest.mark.django_db

MARGIN = redaction.SILENCE_MARGIN_SECONDS


# What Whisper heard: "Dough" where the contributor said "Doe".
HEARD = [
    {
        "start": 0.5,
        "end": 5.5,
        "text": "My nurse Jane Dough was kind on the ward at night.",
        "words": [
            heard_word(" My", 0.5, 0.8),
            heard_word(" nurse", 0.9, 1.3),
            heard_word(" Jane", 1.5, 1.9),
            heard_word(" Dough", 2.0, 2.4),
        ]
        + [
            heard_word(" was", 2.6, 2.8),
            heard_word(" kind", 2.9, 3.3),
            heard_word(" on", 3.4, 3.5),
            heard_word(" the", 3.6, 3.7),
        ]
        + [heard_word(" ward", 3.8, 4.2), heard_word(" at", 4.6, 4.8), heard_word(" night.", 4.9, 5.5)],
    }
]
CORRECTED = "My nurse Jane Doe was kind on the ward at night."


def loudness(path: Path, start: float, end: float) -> float:
    samples, rate = media_factory.decode_mono(path)
    return media_factory.rms(samples[int(start * rate) : int(end * rate)])


def fetched(response, path: Path) -> Path:
    path.write_bytes(b"".join(response.streaming_content))
    return path


@pytest.fixture
def audio_story(client, tmp_path, django_capture_on_commit_callbacks):
    """An audio story shared through the share flow, transcribed, and checked by its contributor, who corrected a
    word; returns (contribution, key)."""
    cache.clear()
    site_tree()
    recording = media_factory.sine_tone(tmp_path / "story.ogg", seconds=6.0, amplitude=0.5)
    contribution, key = sharing.share_recording(client, recording)
    page = StoryPage.objects.get()
    TranscriptionJob.objects.filter(story=page).update(status=JobStatus.DONE, progress=100)
    Transcript.objects.create(story=page, language="en", duration=6.0, segments=HEARD, model_name="test", text="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my-story/{key}/transcript/", {"line-0": CORRECTED, "action": "confirm"})
    assert response.status_code == 302
    return contribution, key


def test_a_redaction_in_a_corrected_line_silences_its_words_and_the_draft_plays_them_silenced(
    client, audio_story, tmp_path, django_capture_on_commit_callbacks
):
    contribution, key = audio_story
    mo = sign_in(moderator())
    with django_capture_on_commit_callbacks(execute=True):
        response = mo.post(
            f"/admin/moderation/story/{contribution.pk}/redactions/",
            {"where": "transcript:0", "passage": "Jane Doe", "start": 9, "end": 17}
            | {"code": "identifies_third_party", "label": "name"},
        )
    assert response.status_code == 302
    # Only the two words' time, not the whole line (0.5-5.5 s) as before corrections kept word timings.
    drafted = Redaction.objects.get()
    assert (drafted.start_time, drafted.end_time) == pytest.approx((1.5 - MARGIN, 2.4 + MARGIN))

    review = mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "silenced 1.42–2.48 s" in review and "data-preview-pending" in review
    proposal = EditProposal.objects.get()
    preview_url = f"/admin/moderation/story/{contribution.pk}/edits/{proposal.pk}/preview/"
    assert mo.get(preview_url).status_code == 404  # not made yet: nothing stale is ever served

    run_queue("default")
    review = mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "data-preview-pending" not in review and f'src="{preview_url}"' in review
    assert "<li data-silenced-range>1.42–2.48 s" in review
    response = mo.get(preview_url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/ogg"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    preview = fetched(response, tmp_path / "preview.ogg")
    assert loudness(preview, 1.5, 2.4) < 0.001
    assert loudness(preview, 0.5, 1.3) > 0.2 and loudness(preview, 2.6, 5.5) > 0.2

    # Private: not for the public, nor for staff who may not review this story, nor without the second factor.
    assert Client().get(preview_url).status_code == 302  # to the sign-in page
    editor = make_user("editor", "Editors")
    assert sign_in(editor, Client(REMOTE_ADDR="192.0.2.11")).get(preview_url).status_code == 403
    password_only = Client()
    password_only.force_login(moderator("password-only"))
    assert password_only.get(preview_url).status_code != 200

    # The contributor hears the same recording on their proposal page once the edits are sent.
    assert client.get(f"/my-story/{key}/edits/recording/").status_code == 404
    assert mo.post(action_url(contribution, "propose_edits")).status_code == 302
    edits = client.get(f"/my-story/{key}/edits/").content.decode()
    assert f'src="/my-story/{key}/edits/recording/"' in edits and "Silent from 1.42 to 2.48 seconds" in edits
    heard = fetched(client.get(f"/my-story/{key}/edits/recording/"), tmp_path / "heard.ogg")
    assert heard.read_bytes() == preview.read_bytes()
    assert Client().get(f"/my-story/{key[:-2]}xx/edits/recording/").status_code == 404


def test_changing_the_draft_makes_a_new_preview_and_removing_it_deletes_the_file(
    audio_story, django_capture_on_commit_callbacks
):
    contribution, _key = audio_story
    mo = sign_in(moderator())
    base = f"/admin/moderation/story/{contribution.pk}"
    stored = sharing.StoredFiles()
    with django_capture_on_commit_callbacks(execute=True):
        mo.post(f"{base}/redactions/", {"where": "transcript:0", "passage": "Jane Doe", "start": 9, "end": 17})
    # The form needs a reason: the moderator is told, and nothing is drafted.
    assert not Redaction.objects.exists()
    fields = {"code": "identifies_third_party", "label": "name"}
    with django_capture_on_commit_callbacks(execute=True):
        mo.post(f"{base}/redactions/", {"where": "transcript:0", "passage": "Jane Doe", "start": 9, "end": 17} | fields)
    run_queue("default")
    first = EditProposal.objects.get().preview.name
    with django_capture_on_commit_callbacks(execute=True):
        mo.post(f"{base}/redactions/", {"where": "transcript:0", "passage": "ward", "start": 34, "end": 38} | fields)
    run_queue("default")
    proposal = EditProposal.objects.get()
    assert proposal.preview.name != first and proposal.preview_silence == [
        pytest.approx([1.5 - MARGIN, 2.4 + MARGIN]),
        pytest.approx([3.8 - MARGIN, 4.2 + MARGIN]),
    ]
    assert [path.name for path in stored.added()] == [Path(proposal.preview.name).name]  # the first one is gone

    with django_capture_on_commit_callbacks(execute=True):
        for drafted in Redaction.objects.all():
            mo.post(f"{base}/redactions/{drafted.pk}/remove/")
    assert not EditProposal.objects.exists() and stored.added() == set()
