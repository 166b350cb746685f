"""The private side of a story: who may follow it (the story key), how to reach them, where it is in its life."""

import hashlib
import hmac
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

# 32 bytes = 256 random bits, comfortably above the 128-bit floor for an unguessable capability link.
STORY_KEY_BYTES = 32


# The short code: a second way to write the same credential, for reading aloud and typing by hand (the key card). It is
# Crockford's base32, which has no I, L, O or U and ignores case, so nothing in it is mistaken for something else.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# 28 characters of 5 bits each = 140 bits, above the 128-bit floor, printed in seven groups of four.
STORY_CODE_LENGTH = 28
STORY_CODE_GROUP = 4
# Separates the code's derivation from any other use of the key. Not a secret, and not SECRET_KEY: a code must keep
# working when the site's secret is rotated, as the key does.
_CODE_SALT = b"voicebox.moderation.story-code"
# What a person may type for a look-alike character (Crockford's decoding), and what they may type between groups.
_CODE_LOOKALIKES = str.maketrans("ILO", "110", "- ")


def story_code(key: str) -> str:
    """The short code of a story key, always the same for the same key, so the card can print it from the key alone."""
    number = int.from_bytes(hmac.new(_CODE_SALT, key.encode(), hashlib.sha256).digest())
    chars = "".join(CODE_ALPHABET[(number >> (5 * i)) & 31] for i in range(STORY_CODE_LENGTH))
    return "-".join(chars[i : i + STORY_CODE_GROUP] for i in range(0, STORY_CODE_LENGTH, STORY_CODE_GROUP))


def as_story_code(text: str) -> str | None:
    """The code as printed, from the way a person typed it (any case, with or without hyphens or spaces, I/L for 1,
    O for 0); None if it cannot be a code."""
    chars = "".join(text.split()).upper().translate(_CODE_LOOKALIKES)
    if len(chars) != STORY_CODE_LENGTH or not set(chars) <= set(CODE_ALPHABET):
        return None
    return "-".join(chars[i : i + STORY_CODE_GROUP] for i in range(0, STORY_CODE_LENGTH, STORY_CODE_GROUP))


def hash_story_key(credential: str) -> str:
    """The digest stored for a story: of its short code, which a key or the code itself (as typed) both give, so one
    column, one tombstone and one key change cover both ways in."""
    # The code has 140 bits of entropy, so a fast hash is enough: there is nothing to brute-force from the digest.
    code = as_story_code(credential) or story_code(credential)
    return hashlib.sha256(code.encode()).hexdigest()


def legacy_key_hash(key: str) -> str:
    """The digest stored for stories sent before short codes: of the key itself (see `needs_code_hash`)."""
    return hashlib.sha256(key.encode()).hexdigest()


class StoryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    PROCESSING = "processing", _("Being prepared")
    AWAITING_CONTRIBUTOR = "awaiting_contributor", _("Waiting for you to check")
    IN_MODERATION = "in_moderation", _("Being reviewed")
    EDITS_PROPOSED = "edits_proposed", _("Edits suggested, waiting for you")
    PUBLISHING = "publishing", _("Being published")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Not published")
    APPEAL = "appeal", _("Appeal being reviewed")
    PAUSED = "paused", _("Paused for your safety")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("No longer published: your end date has passed")
    HIDDEN_BY_CONTRIBUTOR = "hidden_by_contributor", _("Taken down by you for now")


# What each state means to the contributor and what happens next, in plain words (shown on /my-story/<key>/).
# Kept beside the states so a new state cannot be added without saying what it means for the person.
STATUS_EXPLANATIONS: dict[str, tuple[str, str]] = {
    StoryStatus.SUBMITTED: (
        _("We've received your story."),
        _("We'll get it ready for review. You don't need to do anything."),
    ),
    StoryStatus.PROCESSING: (
        _("We're preparing your recording: checking the file and writing out the words you said."),
        _(
            "When the written version (the transcript) is ready, we'll ask you to check it here. "
            "Nothing is reviewed or published before you have."
        ),
    ),
    StoryStatus.AWAITING_CONTRIBUTOR: (
        _("The written version of your recording is ready for you to check."),
        _("Please read it and confirm your choices. Nothing is reviewed or published until you do."),
    ),
    StoryStatus.IN_MODERATION: (
        _("A moderator is reading your story."),
        _(
            "We publish stories unless one of the reasons in our published policy applies. "
            "If we'd like to change anything, we'll show you here first."
        ),
    ),
    StoryStatus.EDITS_PROPOSED: (
        _("A moderator has suggested some changes."),
        _("Look at the changes and accept them or reply. Nothing is published until you agree."),
    ),
    StoryStatus.PUBLISHING: (
        _("Your story has been approved and is being published."),
        _(
            "It will be on the site soon, once your recording (if you sent one) has been prepared for it. "
            "You don't need to do anything."
        ),
    ),
    StoryStatus.PUBLISHED: (
        _("Your story is published."),
        _("You can withdraw it at any time. We'll take it down and erase it."),
    ),
    StoryStatus.DECLINED: (
        _("We haven't published your story."),
        _(
            "The reason is shown here. You can reply or appeal: a reply goes to the moderators, and an appeal to a "
            "different moderator, who will look at your story again."
        ),
    ),
    StoryStatus.APPEAL: (
        _("A different moderator is looking at your appeal."),
        _("We'll show you the outcome here."),
    ),
    StoryStatus.PAUSED: (
        _(
            "We've paused your story because it says you may be at risk right now. "
            "This is not a decision against your story."
        ),
        _(
            "Someone from our team will follow up as our safeguarding policy describes. You can answer them here. "
            "If you need help now, the numbers on this page are free and open day and night."
        ),
    ),
    StoryStatus.WITHDRAWN: (
        _("You withdrew your story."),
        _("It has been taken down and erased."),
    ),
    StoryStatus.EXPIRED: (
        _("Your story is no longer published, because the end date you chose has passed."),
        _("It is kept privately and not shown to anyone. You can withdraw it here to have it erased."),
    ),
    StoryStatus.HIDDEN_BY_CONTRIBUTOR: (
        _("Your story is taken down for now. Nobody can read, hear or find it on the site, but it is not erased."),
        _(
            "You can put it back whenever you like: it goes back as it was, without a new review. "
            "Or you can withdraw it to have it erased."
        ),
    ),
}


class KeyHashQuerySet(models.QuerySet):
    def for_key(self, credential: str):
        """The row a story key or its short code opens, or None. The digest comparison is constant-time."""
        if not credential or len(credential) > 128:
            return None
        digests = [hash_story_key(credential)]
        if as_story_code(credential) is None:
            digests.append(legacy_key_hash(credential))
        row = self.filter(key_hash__in=digests).first()
        if row is None or not any([hmac.compare_digest(row.key_hash, digest) for digest in digests]):
            return None
        return row


class Contribution(models.Model):
    """One submitted story's private record. The public page (`story`) holds only what may be published."""

    class Channel(models.TextChoices):
        """How the story reached us, counted in the public report and carried in research exports. A recording made
        in the browser is its own way in (for people who would rather talk than write), not a kind of "Website"."""

        WEB = "web", _("Website")
        RECORDED = "recorded", _("Recorded in the browser on the website")
        ASSISTED = "assisted", _("Entered by staff with the contributor")
        # On a shared device at an event or workshop; which event is kept privately (contributions.EventStory).
        EVENT = "event", _("Shared at an event")

    story = models.OneToOneField("stories.StoryPage", null=True, on_delete=models.SET_NULL, related_name="contribution")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=24, choices=StoryStatus.choices, default=StoryStatus.SUBMITTED)
    email = models.EmailField(blank=True, help_text="Only used to tell the contributor about their story.")
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    # The language the contributor said they speak in; transcription uses it instead of detecting.
    stated_language = models.CharField(max_length=12, blank=True)
    # The interface language they shared in: emails to them are written in it (moderation.notifications).
    interface_language = models.CharField(max_length=12, default="en-gb", editable=False)
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
