"""Consent: the versioned text people agree to, and the record of what each contributor chose."""

import hashlib

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import RevisionMixin


class ConsentText(RevisionMixin, models.Model):
    """The words a contributor agrees to. Edited in the admin with revisions; records pin the exact version."""

    title = models.CharField(max_length=120)
    body = models.TextField(help_text="Plain English. Every change makes a new version; past consents keep theirs.")
    is_current = models.BooleanField(default=True, help_text="The version shown on the share form.")

    panels = [FieldPanel("title"), FieldPanel("body"), FieldPanel("is_current")]

    def __str__(self):
        return self.title

    @property
    def version_hash(self) -> str:
        return hashlib.sha256(f"{self.title}\n{self.body}".encode()).hexdigest()

    @classmethod
    def current(cls) -> "ConsentText | None":
        return cls.objects.filter(is_current=True).order_by("-pk").first()


class ConsentRecord(models.Model):
    """What a contributor agreed to for one story, against which exact text, when and how. Changes add a record."""

    class Audience(models.TextChoices):
        PUBLIC = "public", "Everyone (published on the website)"
        RESEARCHERS = "researchers", "Researchers only"
        BOTH = "both", "Everyone, and researchers may study it"

    class Identity(models.TextChoices):
        ANONYMOUS = "anonymous", "Anonymous"
        FIRST_NAME = "first_name", "My first name"
        PSEUDONYM = "pseudonym", "A name I choose"
        # Offered before the share form asked "a name I choose" instead; kept for the records that chose it.
        FULL_NAME = "full_name", "My full name"

    class MediaUse(models.TextChoices):
        PUBLISH_MEDIA = "media", "Publish my recording"
        TRANSCRIPT_ONLY = "transcript", "My words, not my voice: publish the transcript only"

    contribution = models.ForeignKey("moderation.Contribution", on_delete=models.CASCADE, related_name="consents")
    consent_text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="records")
    text_version_hash = models.CharField(max_length=64)
    audience = models.CharField(max_length=16, choices=Audience.choices)
    identity = models.CharField(max_length=16, choices=Identity.choices)
    media_use = models.CharField(max_length=16, choices=MediaUse.choices, default=MediaUse.PUBLISH_MEDIA)
    research_use = models.BooleanField()
    expires_on = models.DateField(null=True, blank=True)
    minimal_edits_preauthorised = models.BooleanField()
    channel = models.CharField(max_length=16)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        get_latest_by = ["given_at", "pk"]

    def __str__(self):
        return f"Consent for contribution {self.contribution_id} at {self.given_at:%Y-%m-%d %H:%M}"
