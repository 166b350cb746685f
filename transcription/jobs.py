"""The transcription job: claim a story's job row, transcribe its media under a renewed lease, store exactly once.

The django-tasks-db worker marks a task RUNNING and never looks at it again if the worker dies, so the job row keeps
its own lease: a heartbeat thread renews it while Whisper runs, `recover_expired_jobs` (run by the sweeper process
and at the start of every task) queues again any job whose lease lapsed, and only the holder of the current lease
may store the transcript (compare-and-set on the row, and one transcript per story by a unique constraint).
"""

import logging
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from base import task_payloads
from stories.models import StoryPage

from . import engine
from .models import JobStatus, Transcript, TranscriptionJob, segments_text
from .signals import transcript_ready, transcription_failed
from .weights import ModelUnavailable

logger = logging.getLogger(__name__)

# Copies of media from remote storage (S3) while they are transcribed, named by story so erasure can find them.
TEMP_DIR = Path(tempfile.gettempdir()) / "voicebox-transcription"
RETRY_BASE_SECONDS = 30
# An operator fixing a missing model is not instant: look again hourly.
UNAVAILABLE_RETRY = timedelta(hours=1)
DISCARDED = task_payloads.DISCARDED


class LeaseLost(Exception):
    """The job row changed under a running worker: the story was withdrawn, or another worker took the job over."""


@task(queue_name="transcription")
def transcribe_story(story_id: int) -> str:
    # Every worker doubles as a sweeper, so a dead worker's job is picked up even if the sweeper process is not run.
    recover_expired_jobs()
    return run_job(story_id)


def enqueue(story_id: int, *, run_after=None) -> None:
    """Queue the task for a story's job (call on commit). The task id is kept so the payload can be found later."""
    queued_task = transcribe_story.using(run_after=run_after) if run_after else transcribe_story
    result = queued_task.enqueue(story_id)
    TranscriptionJob.objects.filter(story_id=story_id).update(task_id=str(result.id))


def run_job(story_id: int) -> str:
    """Run a story's job if it is claimable; return what happened (for the task result, never story content)."""
    token = uuid.uuid4().hex
    job = _claim(story_id, token)
    if job is None:
        return "not claimable"  # done already, running elsewhere, or withdrawn: a duplicate delivery is a no-op
    if job.attempts > settings.TRANSCRIPTION_MAX_ATTEMPTS:
        return _finish_failed(job, token, f"Stopped after {job.attempts - 1} attempts.")
    story = StoryPage.objects.filter(pk=story_id).select_related("media").first()
    if story is None or story.media is None or not story.media.file:
        return _finish_failed(job, token, "The story has no recording to transcribe.")

    options = engine.EngineOptions.from_settings()
    heartbeat = _Heartbeat(job.pk, token)
    heartbeat.start()
    try:
        with _local_media(story_id, story.media.file) as path:
            language = job.language or None
            transcript = engine.transcribe(path, language=language, progress=heartbeat.report, options=options)
    except LeaseLost:
        return DISCARDED
    except engine.MediaUnreadable as error:
        return _finish_failed(job, token, str(error))
    except (ModelUnavailable, MemoryError) as error:
        return _set_unavailable(job, token, str(error) or "Not enough memory to load the model.")
    except (DatabaseError, OSError, RuntimeError) as error:
        return _retry_later(job, token, f"{type(error).__name__} while transcribing.")
    finally:
        heartbeat.stop()
    return _store(job, token, transcript, model_name=options.model)


def _claim(story_id: int, token: str) -> TranscriptionJob | None:
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_expires_at__lt=now)
    claimed = TranscriptionJob.objects.filter(claimable, story_id=story_id).update(
        status=JobStatus.RUNNING,
        lease_token=token,
        lease_expires_at=now + timedelta(seconds=settings.TRANSCRIPTION_LEASE_SECONDS),
        attempts=F("attempts") + 1,
        progress=0,
        error="",
    )
    return TranscriptionJob.objects.get(story_id=story_id) if claimed else None


def _owned(job: TranscriptionJob, token: str):
    """The job row while this worker holds its lease; empty once the story was withdrawn or the job taken over."""
    return TranscriptionJob.objects.filter(pk=job.pk, lease_token=token, status=JobStatus.RUNNING)


def _store(job: TranscriptionJob, token: str, result: engine.Transcript, *, model_name: str) -> str:
    with transaction.atomic():
        current = _owned(job, token).select_for_update().first()
        if current is None or not StoryPage.objects.filter(pk=job.story_id).exists():
            return DISCARDED
        if result.has_speech:
            segments = result.segments_as_json()
            Transcript.objects.create(
                story_id=job.story_id,
                language=result.language,
                duration=result.duration,
                segments=segments,
                text=segments_text(segments),
                model_name=model_name,
            )
            current.status = JobStatus.DONE
        else:
            current.status = JobStatus.NO_SPEECH
        _close(current, progress=100, model_name=model_name)
        transcript_ready.send(sender=TranscriptionJob, story_id=job.story_id, status=current.status)
    return current.status


def _finish_failed(job: TranscriptionJob, token: str, reason: str) -> str:
    with transaction.atomic():
        current = _owned(job, token).select_for_update().first()
        if current is None:
            return DISCARDED
        current.status = JobStatus.FAILED
        _close(current, error=reason)
        transcription_failed.send(sender=TranscriptionJob, story_id=job.story_id, status=current.status)
    logger.warning("Transcription of story %s failed: %s", job.story_id, reason)
    return JobStatus.FAILED


def _set_unavailable(job: TranscriptionJob, token: str, reason: str) -> str:
    # Not the recording's fault: the story waits as "transcript unavailable" and is tried again later.
    logger.error("Transcription of story %s is waiting: %s", job.story_id, reason)
    updated = _owned(job, token).update(
        status=JobStatus.UNAVAILABLE,
        error=reason[:300],
        lease_token="",
        lease_expires_at=None,
        retry_at=timezone.now() + UNAVAILABLE_RETRY,
    )
    return JobStatus.UNAVAILABLE if updated else DISCARDED


def _retry_later(job: TranscriptionJob, token: str, reason: str) -> str:
    if job.attempts >= settings.TRANSCRIPTION_MAX_ATTEMPTS:
        return _finish_failed(job, token, f"{reason} Gave up after {job.attempts} attempts.")
    run_after = timezone.now() + timedelta(seconds=RETRY_BASE_SECONDS * 2 ** (job.attempts - 1))
    logger.warning("Transcription of story %s will be retried: %s", job.story_id, reason)
    with transaction.atomic():
        updated = _owned(job, token).update(
            status=JobStatus.QUEUED, error=reason, lease_token="", lease_expires_at=None, retry_at=run_after
        )
        if updated:
            transaction.on_commit(lambda: enqueue(job.story_id, run_after=run_after))
    return "retry" if updated else DISCARDED


def _close(job: TranscriptionJob, *, progress: int | None = None, error: str = "", model_name: str = "") -> None:
    job.lease_token = ""
    job.lease_expires_at = None
    job.finished_at = timezone.now()
    job.error = error[:300]
    job.model_name = model_name or job.model_name
    job.progress = progress if progress is not None else job.progress
    job.save()


def recover_expired_jobs() -> int:
    """Queue again every job whose worker stopped renewing its lease, and every "unavailable" job whose wait is over.
    Safe to run from many processes at once: each job is taken by compare-and-set. Returns how many were queued."""
    recovered = 0
    for job in TranscriptionJob.objects.lease_expired().only("pk", "story_id", "lease_token", "task_id"):
        with transaction.atomic():
            taken = TranscriptionJob.objects.filter(
                pk=job.pk, status=JobStatus.RUNNING, lease_token=job.lease_token, lease_expires_at__lt=timezone.now()
            ).update(status=JobStatus.QUEUED, lease_token="", lease_expires_at=None, error="The worker stopped.")
            if taken:
                _close_abandoned_task(job.task_id)
                transaction.on_commit(lambda story_id=job.story_id: enqueue(story_id))
        recovered += taken
    for job in TranscriptionJob.objects.due_for_retry().only("pk", "story_id"):
        with transaction.atomic():
            taken = TranscriptionJob.objects.filter(pk=job.pk, status=JobStatus.UNAVAILABLE).update(
                status=JobStatus.QUEUED, retry_at=None
            )
            if taken:
                transaction.on_commit(lambda story_id=job.story_id: enqueue(story_id))
        recovered += taken
    return recovered


def _close_abandoned_task(task_id: str) -> None:
    """Mark the dead worker's task result failed, so the database queue does not show it RUNNING forever."""
    if not task_id or not task_payloads.uses_database_queue(transcribe_story):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path=f"{__name__}.LeaseLost",
        traceback="The worker stopped renewing the transcription lease; the job was queued again.",
    )


def delete_temp_files(story_id: int) -> None:
    for leftover in TEMP_DIR.glob(f"story-{story_id}-*"):
        leftover.unlink(missing_ok=True)


@contextmanager
def _local_media(story_id: int, field) -> Iterator[Path]:
    """A local path to the media: the file itself on local storage, else a temporary copy deleted afterwards."""
    try:
        yield Path(field.storage.path(field.name))
        return
    except NotImplementedError:
        pass
    TEMP_DIR.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f"story-{story_id}-", dir=TEMP_DIR)
    try:
        with os.fdopen(handle, "wb") as copy, field.storage.open(field.name, "rb") as original:
            shutil.copyfileobj(original, copy, length=1024 * 1024)
        yield Path(temp_name)
    finally:
        Path(temp_name).unlink(missing_ok=True)


class _Heartbeat:
    """Renews the job's lease and writes its progress from a side thread while Whisper holds the main one."""

    def __init__(self, job_id: int, token: str):
        self.job_id = job_id
        self.token = token
        self.lease = timedelta(seconds=settings.TRANSCRIPTION_LEASE_SECONDS)
        self.interval = min(5.0, settings.TRANSCRIPTION_LEASE_SECONDS / 4)
        self.percent = 0
        self.lost = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"transcription-heartbeat-{job_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def report(self, fraction: float) -> None:
        """The engine's progress callback: remember the percentage, and stop the work if the lease is gone."""
        self.percent = min(99, int(fraction * 100))  # 100 only once the transcript is stored
        if self.lost.is_set():
            raise LeaseLost

    def _run(self) -> None:
        try:
            while not self._stopped.wait(self.interval):
                self._renew()
        finally:
            connections.close_all()  # this thread's own connections

    def _renew(self) -> None:
        close_old_connections()
        try:
            renewed = TranscriptionJob.objects.filter(
                pk=self.job_id, lease_token=self.token, status=JobStatus.RUNNING
            ).update(lease_expires_at=timezone.now() + self.lease, progress=self.percent)
        except DatabaseError:
            logger.warning("Could not renew the transcription lease of job %s; trying again.", self.job_id)
            return
        if not renewed:
            self.lost.set()


task_payloads.forget_discarded(transcribe_story)
