"""What stories are made of and sorted by: format, perspective, themes, content notes and media.

These models sit below the pages (stories/models.py), which are built from them: so the modules the pages use (the
lists and their filters, the page cache) can use them too without importing the pages. Nothing private lives here:
contact details, consent answers and story keys belong to `moderation`.
"""

from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtailmedia.models import AbstractMedia

from .storage import private_storage, random_media_name


class StoryFormat(models.TextChoices):
    TEXT = "text", _("Written")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")


class StoryPerspective(models.TextChoices):
    """Who a story is told by, as the contributor chose to say (optional). Every perspective is welcome; readers may
    filter by it, and it is never shown beside a name."""

    SERVICE_USER = "service_user", _("A person who uses services")
    FAMILY_CARER = "family_carer", _("A family member or carer")
    PEER_WORKER = "peer_worker", _("A peer worker")
    STAFF = "staff", _("Staff in a service")
    OTHER = "other", _("Someone else")


class Theme(index.Indexed, models.Model):
    """A theme stories can be browsed by: curated by the team, or suggested by a contributor and accepted."""

    class Origin(models.TextChoices):
        CURATED = "curated", "Curated"
        SUGGESTED = "suggested", "Suggested by a contributor"

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    description = models.TextField(blank=True)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.CURATED)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("origin")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)


class ContentNote(models.Model):
    """A descriptive note shown before a story (e.g. "self-harm"), which readers can also hide stories by."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:60]
        super().save(*args, **kwargs)


class StoryMedia(AbstractMedia):
    """A story's audio or video. The uploaded original is private; only a published copy is ever served publicly."""

    file = models.FileField(storage=private_storage, upload_to=random_media_name, verbose_name="file")
    # A metadata-free copy made at publication (redactions applied); the only file public views may serve.
    published_file = models.FileField(
        storage=private_storage, upload_to=random_media_name, blank=True, verbose_name="published copy"
    )
    # The container and codec found by probing the content (never the browser's or the file name's claim).
    container = models.CharField(max_length=32, blank=True)
    audio_codec = models.CharField(max_length=32, blank=True)
    video_codec = models.CharField(max_length=32, blank=True)
    content_type = models.CharField(max_length=64, blank=True)
    # A poster frame can show a face: private like the original, not in public MEDIA_ROOT as wagtailmedia would put it.
    thumbnail = models.FileField(
        storage=private_storage, upload_to=random_media_name, blank=True, verbose_name="thumbnail"
    )

    admin_form_fields = ("title", "file", "collection", "thumbnail")

    class Meta(AbstractMedia.Meta):
        verbose_name = "story media"
        verbose_name_plural = "story media"

    @property
    def url(self) -> str:
        """Where wagtailmedia's admin links and plays the original: the staff-only view, never a storage URL.

        The public only ever gets the published copy, through `stories.links.published_media_url`.
        """
        return reverse("stories:staff_media", args=[self.pk])

    def delete_files(self) -> None:
        """Delete the original, the published copy and the thumbnail from storage (erasure, withdrawal)."""
        for field in (self.file, self.published_file, self.thumbnail):
            if field and field.name:
                field.storage.delete(field.name)


@receiver(post_delete, sender=StoryMedia)
def delete_media_files(sender, instance: StoryMedia, **kwargs) -> None:
    """A story's media live and die with it: however the row is deleted (withdrawal, the media library, a cascade),
    its files go too, the published copy included, once the deletion has committed."""
    transaction.on_commit(instance.delete_files)
