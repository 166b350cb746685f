"""A contributor's changed choices that would show their story more widely, waiting for a moderator's light check."""

from django.conf import settings
from django.db import models

from .consent import ConsentRecord, ConsentText


class ChoicesChange(models.Model):
    """What the contributor asked for on /my-story/<key>/choices/ when it widens exposure (a name where there was
    none, everyone where there were researchers only, the recording where there was the transcript only).

    The parts that narrow were applied at once; this holds the whole request until a moderator approves it (then it
    becomes a consent record against `consent_text`, the words the contributor agreed to) or declines it. Erased
    with the contribution.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for a moderator"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Not approved"
        REPLACED = "replaced", "Replaced by a newer change"

    contribution = models.ForeignKey("moderation.Contribution", on_delete=models.CASCADE, related_name="choice_changes")
    consent_text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=16, choices=ConsentRecord.Audience.choices)
    identity = models.CharField(max_length=16, choices=ConsentRecord.Identity.choices)
    display_name = models.CharField(max_length=80, blank=True)
    media_use = models.CharField(max_length=16, choices=ConsentRecord.MediaUse.choices)
    research_use = models.BooleanField()
    expires_on = models.DateField(null=True, blank=True)
    minimal_edits_preauthorised = models.BooleanField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    asked_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self):
        return f"Changed choices for contribution {self.contribution_id} ({self.get_status_display()})"
