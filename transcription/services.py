"""What the rest of Voicebox asks of transcription.

request_transcription(story_id, *, language=None)   the share flow, when a story with media is submitted
forget_story(story_id)                               the erasure service, when a story is withdrawn
failed_story_ids()                                   moderation's queue, to show stories that could not be transcribed
"""

from django.db import transaction

from base import task_payloads

from . import jobs
from .models import JobStatus, Transcript, TranscriptionJob


def request_transcription(story_id: int, *, language: str | None = None) -> None:
    """Queue the transcription of the story page's media once the current transaction commits.

    `language` is the contributor's stated language (e.g. "en"), used instead of detection when given. Asking again
    for a story already queued, running or transcribed changes nothing; asking again after a failure, or while the
    transcript is unavailable, tries again.
    """
    with transaction.atomic():
        job, created = TranscriptionJob.objects.select_for_update().get_or_create(
            story_id=story_id, defaults={"language": language or ""}
        )
        if not created:
            if job.status not in (JobStatus.FAILED, JobStatus.UNAVAILABLE):
                return
            job.status = JobStatus.QUEUED
            job.language = language or job.language
            job.attempts = 0
            job.progress = 0
            job.error = ""
            job.retry_at = None
            job.save()
        transaction.on_commit(lambda: jobs.enqueue(story_id))


def forget_story(story_id: int) -> None:
    """Erase everything transcription holds about a story: its transcript, its job (a running worker notices the
    lost lease and discards its work), queued task payloads and temporary copies of its media."""
    with transaction.atomic():
        Transcript.objects.filter(story_id=story_id).delete()
        TranscriptionJob.objects.filter(story_id=story_id).delete()
        task_payloads.delete_payloads(jobs.transcribe_story, story_id)
    jobs.delete_temp_files(story_id)


def failed_story_ids():
    """The ids of stories whose transcription failed for good (a subquery)."""
    return TranscriptionJob.objects.filter(status=JobStatus.FAILED).values("story_id")


def recover_transcriptions() -> int:
    """Queue again jobs whose worker died, and unavailable ones whose wait is over (the sweeper runs this)."""
    return jobs.recover_expired_jobs()
