"""The private side of a story: who may follow it (the story key), how to reach them, where it is in its life."""

import hashlib
import hmac
import secrets

from django.db import models

# 32 bytes = 256 random bits, comfortably above the 128-bit floor for an unguessable capability link.
STORY_KEY_BYTES = 32


def hash_story_key(key: str) -> str:
    # The key has 256 bits of entropy, so a fast hash is enough: there is nothing to brute-force from the digest.
    return hashlib.sha256(key.encode()).hexdigest()


class StoryStatus(models.TextChoices):
    SUBMITTED = "submitted", "Received"
    PROCESSING = "processing", "Being prepared"
    AWAITING_CONTRIBUTOR = "awaiting_contributor", "Waiting for you to check"
    IN_MODERATION = "in_moderation", "Being reviewed"
    EDITS_PROPOSED = "edits_proposed", "Edits suggested, waiting for you"
    PUBLISHED = "published", "Published"
    DECLINED = "declined", "Not published"
    APPEAL = "appeal", "Appeal being reviewed"
    PAUSED = "paused", "Paused for your safety"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ContributionQuerySet(models.QuerySet):
    def for_key(self, key: str) -> "Contribution | None":
        """The contribution a story key opens, or None. The digest comparison is constant-time."""
        if not key or len(key) > 128:
            return None
        digest = hash_story_key(key)
        contribution = self.filter(key_hash=digest).first()
        if contribution is None or not hmac.compare_digest(contribution.key_hash, digest):
            return None
        return contribution


class Contribution(models.Model):
    """One submitted story's private record. The public page (`story`) holds only what may be published."""

    class Channel(models.TextChoices):
        WEB = "web", "Website"
        ASSISTED = "assisted", "Entered by staff with the contributor"

    story = models.OneToOneField("stories.StoryPage", null=True, on_delete=models.SET_NULL, related_name="contribution")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=24, choices=StoryStatus.choices, default=StoryStatus.SUBMITTED)
    email = models.EmailField(blank=True, help_text="Only used to tell the contributor about their story.")
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    # The language the contributor said they speak in; transcription uses it instead of detecting.
    stated_language = models.CharField(max_length=12, blank=True)
    suggested_themes = models.CharField(max_length=200, blank=True)
    # A token from the form, so a double submit (two clicks, a resent POST) creates one story.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"Contribution {self.pk} ({self.get_status_display()})"

    @classmethod
    def new_key(cls) -> tuple[str, str]:
        """A fresh story key and the hash to store; the key itself is shown once and never stored."""
        key = secrets.token_urlsafe(STORY_KEY_BYTES)
        return key, hash_story_key(key)
