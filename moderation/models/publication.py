"""A decision to publish a story, while the publication task carries it out (`moderation.publication`)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# An attempt still running after this long is taken to be dead (its worker was killed): moderators may start
# another. A one-hour video whose picture has to be re-encoded takes well under an hour on two cores.
STALLED_AFTER = timedelta(hours=2)


class Publication(models.Model):
    """The workflow decided to publish this story; the worker has not finished publishing it yet.

    Made in the decision's own transaction (the story's status is "being published" from that moment), deleted in
    the short transaction that publishes the revision. A failed attempt stays here, with its reason, for moderators
    to see while it is tried again. Erased with the contribution.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Being published"
        FAILED = "failed", "Could not be published"

    contribution = models.OneToOneField("moderation.Contribution", on_delete=models.CASCADE, related_name="publication")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    # The revision decided on: what the moderator approved, or what was published before (put back, choices applied
    # again). It is what goes live, whatever is saved after the decision; consent and edits apply at publication.
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Only the attempt holding the current token may publish: one that was given up on discards its work.
    token = models.CharField(max_length=32, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    # Why the last attempt failed, for moderators: an exception's type and message, never the story's words.
    error = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"Publication of contribution {self.contribution_id} ({self.get_status_display()})"

    @property
    def stalled(self) -> bool:
        return (
            self.status == self.Status.RUNNING
            and bool(self.started_at)
            and timezone.now() - self.started_at > (STALLED_AFTER)
        )

    @property
    def may_retry(self) -> bool:
        """Whether a moderator may start publishing again: after the last automatic attempt failed, or a dead
        worker left an attempt running."""
        return self.status == self.Status.FAILED or self.stalled
