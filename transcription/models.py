"""A story's transcription job and its transcript. Kept apart from the page (never in page revisions): a transcript
reaches `StoryPage.transcript` only when the story is published, in the version the contributor confirmed."""

from django.db import models
from django.utils import timezone

from .corrections import realign_words


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be transcribed"
    RUNNING = "running", "Being transcribed"
    DONE = "done", "Transcribed"
    NO_SPEECH = "no_speech", "No speech detected"
    UNAVAILABLE = "unavailable", "Transcript unavailable for now"
    FAILED = "failed", "Could not be transcribed"


class TranscriptionJobQuerySet(models.QuerySet):
    def lease_expired(self) -> "TranscriptionJobQuerySet":
        return self.filter(status=JobStatus.RUNNING, lease_expires_at__lt=timezone.now())

    def due_for_retry(self) -> "TranscriptionJobQuerySet":
        """Unavailable jobs (the model was missing) whose wait is over: the operator may have fixed it since."""
        return self.filter(status=JobStatus.UNAVAILABLE, retry_at__lte=timezone.now())


class TranscriptionJob(models.Model):
    """One row per story: where its transcription stands. The row is the lock: a worker owns the job only while
    its `lease_token` is the row's and its lease has not expired, and only that worker may store the transcript."""

    story = models.OneToOneField("stories.StoryPage", on_delete=models.CASCADE, related_name="transcription_job")
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    # The contributor's stated language, used instead of detection; empty means detect.
    language = models.CharField(max_length=12, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent of the recording transcribed.")
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_token = models.CharField(max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    # The queued task's id, so a withdrawal can delete its payload and recovery can close a dead worker's task.
    task_id = models.CharField(max_length=64, blank=True)
    # A plain, content-free reason for operators (never story text or file names).
    error = models.CharField(max_length=300, blank=True)
    model_name = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TranscriptionJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "transcription job"

    def __str__(self):
        return f"Transcription of story {self.story_id}: {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


class Transcript(models.Model):
    """What Whisper heard (`segments`), and the contributor's corrected version once they have checked it.

    Segments are `[{start, end, text, words: [{start, end, word, probability}]}]`, times in seconds.
    """

    story = models.OneToOneField("stories.StoryPage", on_delete=models.CASCADE, related_name="machine_transcript")
    language = models.CharField(max_length=12)
    duration = models.FloatField()
    segments = models.JSONField(default=list)
    model_name = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    # The contributor's version: the same segments and timings, with the text of any line they corrected (its words
    # aligned to the words Whisper heard, so they keep their times).
    confirmed_segments = models.JSONField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Plain text of the current version (confirmed if there is one), for search.
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = "transcript"

    def __str__(self):
        return f"Transcript of story {self.story_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def current_segments(self) -> list[dict]:
        """The version moderators and the public see: the contributor's once confirmed, else the machine's."""
        return self.confirmed_segments if self.confirmed_segments is not None else self.segments

    def confirm(self, corrected_texts: dict[int, str] | None = None) -> None:
        """Record the contributor's version: line texts replaced where they corrected them, line and word timings
        kept (see transcription.corrections)."""
        corrected_texts = corrected_texts or {}
        confirmed = []
        for index, segment in enumerate(self.segments):
            text = corrected_texts.get(index, segment["text"]).strip()
            if text == segment["text"]:
                confirmed.append(segment)
            else:
                words = realign_words(segment, text)
                confirmed.append({"start": segment["start"], "end": segment["end"], "text": text, "words": words})
        self.confirmed_segments = confirmed
        self.confirmed_at = timezone.now()
        self.text = segments_text(confirmed)
        self.save(update_fields=["confirmed_segments", "confirmed_at", "text"])


def segments_text(segments: list[dict]) -> str:
    return " ".join(segment["text"].strip() for segment in segments if segment["text"].strip())
