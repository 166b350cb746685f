"""Transcription on the scale-out queue (TASK_BACKEND=rq): the job travels through Redis, a real `rqworker` runs it,
and erasure deletes the payload waiting in Redis."""

import os
import subprocess
import sys

import django_rq
import pytest
from django.conf import settings
from django.db import connection

from tests.speech_samples import ROOT, story_with_recording
from tests.test_redis_queue import rq_backend  # noqa: F401  (the fixture)
from transcription.models import JobStatus, Transcript, TranscriptionJob
from transcription.services import forget_story, request_transcription

pytestmark = [
    pytest.mark.redis,
    pytest.mark.whisper,
    pytest.mark.production_parts,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def queued_story_ids() -> list[list]:
    queue = django_rq.get_queue("transcription")
    return [list(job.args) for job in queue.get_jobs()]


def test_erasure_deletes_the_payload_waiting_in_redis(rq_backend, packaged_speech, django_capture_on_commit_callbacks):  # noqa: F811
    django_rq.get_queue("transcription").empty()
    story = story_with_recording(packaged_speech[0])
    with django_capture_on_commit_callbacks(execute=True):
        request_transcription(story.pk)
    assert queued_story_ids() == [[story.pk]]
    forget_story(story.pk)
    assert queued_story_ids() == []
    assert not TranscriptionJob.objects.filter(story=story).exists()


def test_a_real_rq_worker_transcribes_the_story(rq_backend, packaged_speech, django_capture_on_commit_callbacks):  # noqa: F811
    if connection.vendor == "sqlite":
        pytest.skip("The worker process needs a database it can share; the PostgreSQL production-parts run has one.")
    django_rq.get_queue("transcription").empty()
    story = story_with_recording(packaged_speech[0])
    with django_capture_on_commit_callbacks(execute=True):
        request_transcription(story.pk)
    database = connection.settings_dict
    environment = {
        **os.environ,
        # The test settings give every process its own media directory; this worker must read this test's files.
        "DJANGO_SETTINGS_MODULE": "voicebox.settings.dev",
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "TASK_BACKEND": "rq",
        "REDIS_URL": rq_backend,
        "WHISPER_MODEL": "tiny.en",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    }
    worker = subprocess.run(
        [sys.executable, "manage.py", "rqworker", "--burst", "transcription"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert worker.returncode == 0, worker.stderr
    job = TranscriptionJob.objects.get(story=story)
    assert job.status == JobStatus.DONE, job.error
    assert "chicago" in Transcript.objects.get(story=story).text.lower()
