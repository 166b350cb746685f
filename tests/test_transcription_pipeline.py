"""The transcription job end to end in the test process: request on commit → database queue → the real db_worker
loop (batch mode) → stored transcript, status, progress and signals. Transactional, because the job's heartbeat
thread must see the committed job row, as it does in production."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.speech_samples import silence, story_with_recording, word_error_rate
from tests.workers import run_queue
from transcription import jobs
from transcription.models import JobStatus, Transcript, TranscriptionJob
from transcription.services import forget_story, recover_transcriptions, request_transcription
from transcription.signals import transcript_ready, transcription_failed

pytestmark = [pytest.mark.whisper, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def tiny_model(settings):
    settings.WHISPER_MODEL = "tiny.en"


@pytest.fixture
def signals():
    received = []

    def listener(signal, sender, **kwargs):
        received.append((signal, kwargs["story_id"], kwargs["status"]))

    transcript_ready.connect(listener)
    transcription_failed.connect(listener)
    yield received
    transcript_ready.disconnect(listener)
    transcription_failed.disconnect(listener)


def request(story, django_capture_on_commit_callbacks, **kwargs) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request_transcription(story.pk, **kwargs)


def test_recording_is_transcribed_through_the_queue(packaged_speech, django_capture_on_commit_callbacks, signals):
    wav, text = packaged_speech
    story = story_with_recording(wav)
    request(story, django_capture_on_commit_callbacks)
    job = TranscriptionJob.objects.get(story=story)
    assert job.status == JobStatus.QUEUED
    queued = DBTaskResult.objects.get(id=job.task_id)
    assert (queued.queue_name, queued.status, queued.args_kwargs["args"]) == ("transcription", "READY", [story.pk])

    run_queue("transcription")

    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts, job.lease_token) == (JobStatus.DONE, 100, 1, "")
    transcript = Transcript.objects.get(story=story)
    assert transcript.language == "en"
    assert transcript.model_name == "tiny.en"
    assert word_error_rate(text, transcript.text) <= 0.4
    assert transcript.segments[0]["words"][0].keys() == {"start", "end", "word", "probability"}
    assert not transcript.is_confirmed and transcript.current_segments == transcript.segments
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    assert signals == [(transcript_ready, story.pk, JobStatus.DONE)]
    story.refresh_from_db()
    assert story.transcript == []  # nothing reaches the page (or its revisions) before publication

    # Asking again, or the same task delivered twice, changes nothing.
    request(story, django_capture_on_commit_callbacks)
    jobs.enqueue(story.pk)
    run_queue("transcription")
    assert Transcript.objects.filter(story=story).count() == 1
    assert DBTaskResult.objects.get(id=TranscriptionJob.objects.get(story=story).task_id).return_value == (
        "not claimable"
    )


def test_stated_language_is_used_instead_of_detection(packaged_speech, django_capture_on_commit_callbacks, settings):
    settings.WHISPER_MODEL = "base"
    story = story_with_recording(packaged_speech[0])
    request(story, django_capture_on_commit_callbacks, language="fr")
    run_queue("transcription")
    assert TranscriptionJob.objects.get(story=story).language == "fr"
    assert Transcript.objects.get(story=story).language == "fr"


def test_silence_ends_as_no_speech(tmp_path, django_capture_on_commit_callbacks, signals):
    story = story_with_recording(silence(tmp_path / "quiet.wav", seconds=8))
    request(story, django_capture_on_commit_callbacks)
    run_queue("transcription")
    job = TranscriptionJob.objects.get(story=story)
    assert (job.status, job.get_status_display(), job.progress) == ("no_speech", "No speech detected", 100)
    assert not Transcript.objects.filter(story=story).exists()
    assert signals == [(transcript_ready, story.pk, JobStatus.NO_SPEECH)]


def test_a_corrupt_file_fails_only_its_own_job(packaged_speech, tmp_path, django_capture_on_commit_callbacks, signals):
    broken = tmp_path / "broken.ogg"
    broken.write_bytes(b"OggS" + bytes(range(256)) * 40)
    bad = story_with_recording(broken, title="Broken")
    good = story_with_recording(packaged_speech[0], title="Fine")
    request(bad, django_capture_on_commit_callbacks)
    request(good, django_capture_on_commit_callbacks)
    run_queue("transcription")
    failed = TranscriptionJob.objects.get(story=bad)
    assert failed.status == JobStatus.FAILED
    assert failed.get_status_display() == "Could not be transcribed"
    assert failed.error.startswith("The recording could not be")
    assert failed.attempts == 1  # an unreadable file is not retried
    assert TranscriptionJob.objects.get(story=good).status == JobStatus.DONE
    assert (transcription_failed, bad.pk, JobStatus.FAILED) in signals
    assert (transcript_ready, good.pk, JobStatus.DONE) in signals


def test_a_missing_model_leaves_the_story_waiting_then_it_is_retried(
    packaged_speech, tmp_path, django_capture_on_commit_callbacks, settings
):
    settings.WHISPER_MODEL = str(tmp_path / "no-such-model")
    story = story_with_recording(packaged_speech[0])
    request(story, django_capture_on_commit_callbacks)
    run_queue("transcription")
    job = TranscriptionJob.objects.get(story=story)
    assert job.status == JobStatus.UNAVAILABLE
    assert job.get_status_display() == "Transcript unavailable for now"
    assert "WHISPER_MODEL" in job.error
    assert job.retry_at > timezone.now()
    assert not Transcript.objects.filter(story=story).exists()

    settings.WHISPER_MODEL = "tiny.en"  # the operator fixes it
    assert recover_transcriptions() == 0  # not before its wait is over
    TranscriptionJob.objects.filter(pk=job.pk).update(retry_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert recover_transcriptions() == 1
    run_queue("transcription")
    assert TranscriptionJob.objects.get(pk=job.pk).status == JobStatus.DONE


def test_transient_errors_are_retried_with_backoff_then_fail(
    packaged_speech, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.TRANSCRIPTION_MAX_ATTEMPTS = 2
    story = story_with_recording(packaged_speech[0])

    def storage_down(*args, **kwargs):
        raise ConnectionResetError("storage went away")

    monkeypatch.setattr(jobs.engine, "transcribe", storage_down)
    request(story, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        run_queue("transcription")
    job = TranscriptionJob.objects.get(story=story)
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)
    retry = DBTaskResult.objects.get(id=job.task_id)
    assert retry.status == "READY"
    assert retry.run_after - timezone.now() > timedelta(seconds=jobs.RETRY_BASE_SECONDS - 5)

    DBTaskResult.objects.filter(id=retry.id).update(run_after=timezone.now())
    run_queue("transcription")
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 2)
    assert "ConnectionResetError" in job.error and "Gave up after 2 attempts" in job.error


def test_only_the_lease_holder_can_store(packaged_speech):
    story = story_with_recording(packaged_speech[0])
    job = TranscriptionJob.objects.create(
        story=story, status=JobStatus.RUNNING, lease_token="other-worker", lease_expires_at=timezone.now()
    )
    result = jobs.engine.Transcript(language="en", duration=1.0, segments=[jobs.engine.Segment(0, 1, "Hello")])
    assert jobs._store(job, "stale-worker", result, model_name="tiny.en") == jobs.DISCARDED
    assert not Transcript.objects.exists()
    assert jobs._store(job, "other-worker", result, model_name="tiny.en") == JobStatus.DONE
    assert Transcript.objects.get().text == "Hello"


def test_forget_story_leaves_nothing(packaged_speech, django_capture_on_commit_callbacks):
    done = story_with_recording(packaged_speech[0], title="Done")
    waiting = story_with_recording(packaged_speech[0], title="Waiting")
    request(done, django_capture_on_commit_callbacks)
    run_queue("transcription")
    request(waiting, django_capture_on_commit_callbacks)
    jobs.TEMP_DIR.mkdir(parents=True, exist_ok=True)
    leftover = jobs.TEMP_DIR / f"story-{waiting.pk}-abc"
    leftover.write_bytes(b"partial copy")

    for story in (done, waiting):
        forget_story(story.pk)
        assert not Transcript.objects.filter(story=story).exists()
        assert not TranscriptionJob.objects.filter(story=story).exists()
        assert not DBTaskResult.objects.filter(args_kwargs__args__0=story.pk).exists()
    assert not leftover.exists()
