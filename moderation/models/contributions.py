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
    PUBLISHING = "publishing", "Being published"
    PUBLISHED = "published", "Published"
    DECLINED = "declined", "Not published"
    APPEAL = "appeal", "Appeal being reviewed"
    PAUSED = "paused", "Paused for your safety"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "No longer published: your end date has passed"
    HIDDEN_BY_CONTRIBUTOR = "hidden_by_contributor", "Taken down by you for now"


# What each state means to the contributor and what happens next, in plain words (shown on /my-story/<key>/).
# Kept beside the states so a new state cannot be added without saying what it means for the person.
STATUS_EXPLANATIONS: dict[str, tuple[str, str]] = {
    StoryStatus.SUBMITTED: (
        "We've received your story.",
        "We'll get it ready for review. You don't need to do anything.",
    ),
    StoryStatus.PROCESSING: (
        "We're preparing your recording: checking the file and writing out the words you said.",
        "When the written version (the transcript) is ready, we'll ask you to check it here. "
        "Nothing is reviewed or published before you have.",
    ),
    StoryStatus.AWAITING_CONTRIBUTOR: (
        "The written version of your recording is ready for you to check.",
        "Please read it and confirm your choices. Nothing is reviewed or published until you do.",
    ),
    StoryStatus.IN_MODERATION: (
        "A moderator is reading your story.",
        "We publish stories unless one of the reasons in our published policy applies. "
        "If we'd like to change anything, we'll show you here first.",
    ),
    StoryStatus.EDITS_PROPOSED: (
        "A moderator has suggested some changes.",
        "Look at the changes and accept them or reply. Nothing is published until you agree.",
    ),
    StoryStatus.PUBLISHING: (
        "Your story has been approved and is being published.",
        "It will be on the site soon, once your recording (if you sent one) has been prepared for it. "
        "You don't need to do anything.",
    ),
    StoryStatus.PUBLISHED: (
        "Your story is published.",
        "You can withdraw it at any time. We'll take it down and erase it.",
    ),
    StoryStatus.DECLINED: (
        "We haven't published your story.",
        "The reason is shown here. You can reply or appeal: a reply goes to the moderators, and an appeal to a "
        "different moderator, who will look at your story again.",
    ),
    StoryStatus.APPEAL: (
        "A different moderator is looking at your appeal.",
        "We'll show you the outcome here.",
    ),
    StoryStatus.PAUSED: (
        "We've paused your story because it says you may be at risk right now. "
        "This is not a decision against your story.",
        "Someone from our team will follow up as our safeguarding policy describes. You can answer them here. "
        "If you need help now, the numbers on this page are free and open day and night.",
    ),
    StoryStatus.WITHDRAWN: (
        "You withdrew your story.",
        "It has been taken down and erased.",
    ),
    StoryStatus.EXPIRED: (
        "Your story is no longer published, because the end date you chose has passed.",
        "It is kept privately and not shown to anyone. You can withdraw it here to have it erased.",
    ),
    StoryStatus.HIDDEN_BY_CONTRIBUTOR: (
        "Your story is taken down for now. Nobody can read, hear or find it on the site, but it is not erased.",
        "You can put it back whenever you like: it goes back as it was, without a new review. "
        "Or you can withdraw it to have it erased.",
    ),
}


class KeyHashQuerySet(models.QuerySet):
    def for_key(self, key: str):
        """The row a story key opens, or None. The digest comparison is constant-time."""
        if not key or len(key) > 128:
            return None
        digest = hash_story_key(key)
        row = self.filter(key_hash=digest).first()
        if row is None or not hmac.compare_digest(row.key_hash, digest):
            return None
        return row


class Contribution(models.Model):
    """One submitted story's private record. The public page (`story`) holds only what may be published."""

    class Channel(models.TextChoices):
        """How the story reached us, counted in the public report and carried in research exports. A recording made
        in the browser is its own way in (for people who would rather talk than write), not a kind of "Website"."""

        WEB = "web", "Website"
        RECORDED = "recorded", "Recorded in the browser on the website"
        ASSISTED = "assisted", "Entered by staff with the contributor"
        # On a shared device at an event or workshop; which event is kept privately (contributions.EventStory).
        EVENT = "event", "Shared at an event"

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
    # The contributor's own word that the story criticises a service: counted in the public report beside the
    # moderators' flag (CriticalOfServicesFlag), so the split does not depend on the people it is meant to check.
    marked_critical_by_contributor = models.BooleanField(default=False)

    objects = KeyHashQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"Contribution {self.pk} ({self.get_status_display()})"

    @classmethod
    def new_key(cls) -> tuple[str, str]:
        """A fresh story key and the hash to store; the key itself is shown once and never stored."""
        key = secrets.token_urlsafe(STORY_KEY_BYTES)
        return key, hash_story_key(key)


class WithdrawnStoryKey(models.Model):
    """A content-free tombstone: the hash of a withdrawn story's key, so its link can say "withdrawn and erased"
    instead of "not found", and so an erasure can be replayed after restoring a backup."""

    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    objects = KeyHashQuerySet.as_manager()

    def __str__(self):
        return f"Withdrawn story key ({self.withdrawn_at:%Y-%m-%d})"
