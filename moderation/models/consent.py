"""Consent: the versioned text people agree to, and the record of what each contributor chose."""

import hashlib
import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import RevisionMixin

from stories.storage import private_storage


def interface_languages():
    return settings.LANGUAGES


class ConsentText(RevisionMixin, models.Model):
    """The words a contributor agrees to, in one interface language. Edited in the admin with revisions; records pin
    the exact version, so what each person agreed to is known word for word, in the language they read it in."""

    title = models.CharField(max_length=120)
    body = models.TextField(help_text="Plain words. Every change makes a new version; past consents keep theirs.")
    language = models.CharField(
        max_length=12,
        choices=interface_languages,
        default="en-gb",
        help_text="Shown to people sharing in this language. Keep every language's words saying the same.",
    )
    is_current = models.BooleanField(default=True, help_text="The version shown on the share form in its language.")

    panels = [FieldPanel("title"), FieldPanel("body"), FieldPanel("language"), FieldPanel("is_current")]

    def __str__(self):
        return self.title

    @property
    def version_hash(self) -> str:
        return hashlib.sha256(f"{self.title}\n{self.body}".encode()).hexdigest()

    @classmethod
    def current(cls, language: str | None = None) -> "ConsentText | None":
        """The words shown now in `language` (the language being shown by default), or in English where that
        language has none yet: nobody is asked to agree to words that do not exist."""
        language = language or get_language() or settings.LANGUAGE_CODE
        current = cls.objects.filter(is_current=True).order_by("-pk")
        return current.filter(language=language).first() or current.filter(language=settings.LANGUAGE_CODE).first()


class ConsentRecord(models.Model):
    """What a contributor agreed to for one story, against which exact text, when and how. Changes add a record."""

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone (published on the website)")
        RESEARCHERS = "researchers", _("Researchers only")
        BOTH = "both", _("Everyone, and researchers may study it")

    class Identity(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous")
        FIRST_NAME = "first_name", _("My first name")
        PSEUDONYM = "pseudonym", _("A name I choose")
        # Offered before the share form asked "a name I choose" instead; kept for the records that chose it.
        FULL_NAME = "full_name", _("My full name")

    class MediaUse(models.TextChoices):
        PUBLISH_MEDIA = "media", _("Publish my recording")
        TRANSCRIPT_ONLY = "transcript", _("My words, not my voice: publish the transcript only")

    contribution = models.ForeignKey("moderation.Contribution", on_delete=models.CASCADE, related_name="consents")
    consent_text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="records")
    text_version_hash = models.CharField(max_length=64)
    audience = models.CharField(max_length=16, choices=Audience.choices)
    identity = models.CharField(max_length=16, choices=Identity.choices)
    media_use = models.CharField(max_length=16, choices=MediaUse.choices, default=MediaUse.PUBLISH_MEDIA)
    research_use = models.BooleanField()
    expires_on = models.DateField(null=True, blank=True)
    minimal_edits_preauthorised = models.BooleanField()

    class Method(models.TextChoices):
        """How the contributor agreed. On the website they tick the box themselves; when a peer worker or staff
        member shares a story with them (assisted sharing), the words are read to them, or they sign a paper form."""

        ONLINE = "online", "Agreed on the website"
        READ_ALOUD = "read_aloud", "The words were read aloud to them and they agreed"
        SIGNED_FORM = "signed_form", "They signed a paper consent form (kept as a private scan)"

    channel = models.CharField(max_length=16)
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.ONLINE)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        get_latest_by = ["given_at", "pk"]

    def __str__(self):
        return f"Consent for contribution {self.contribution_id} at {self.given_at:%Y-%m-%d %H:%M}"


def paper_scan_name(instance, filename: str) -> str:
    """A random name: nothing of the person or the story is in it. Scans are always stored as JPEG."""
    return f"paper-scans/{uuid.uuid4().hex}.jpg"


class PaperScan(models.Model):
    """A photo or scan of paper from assisted sharing: the signed consent form, or the story as the person wrote it
    on a paper form (its words are typed into the story). Private like an original recording (the private storage,
    never a public URL), seen only by moderators, and erased with the story (moderation.erasure)."""

    class Kind(models.TextChoices):
        CONSENT_FORM = "consent_form", "Signed consent form"
        STORY_FORM = "story_form", "The story as written on paper"

    contribution = models.ForeignKey("moderation.Contribution", on_delete=models.CASCADE, related_name="paper_scans")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(storage=private_storage, upload_to=paper_scan_name)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} for contribution {self.contribution_id}"


@receiver(post_delete, sender=PaperScan)
def delete_paper_scan_file(sender, instance: PaperScan, **kwargs) -> None:
    """The file goes once the deletion commits, so a failed erasure never leaves a row without its scan."""
    if instance.file.name:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
