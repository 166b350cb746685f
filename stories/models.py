"""The public content core: pages, themes, content notes and story media.

Nothing private lives here: contact details, consent answers and story keys belong to `moderation`.
"""

from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.text import slugify
from modelcluster.fields import ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page, PagePermissionTester
from wagtail.search import index
from wagtailmedia.models import AbstractMedia

from base.sections import STORY_SECTIONS, rendered_sections

from .api_fields import PublicLinkField
from .blocks import StoryBodyBlock
from .governance import require_governance
from .storage import private_storage, random_media_name


class StoryFormat(models.TextChoices):
    TEXT = "text", "Written"
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"


class StoryPerspective(models.TextChoices):
    """Who a story is told by, as the contributor chose to say (optional). Every perspective is welcome; readers may
    filter by it, and it is never shown beside a name."""

    SERVICE_USER = "service_user", "A person who uses services"
    FAMILY_CARER = "family_carer", "A family member or carer"
    PEER_WORKER = "peer_worker", "A peer worker"
    STAFF = "staff", "Staff in a service"
    OTHER = "other", "Someone else"


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

        The public only ever gets the published copy, through `stories.media_delivery.published_media_url`.
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


class PublicPage(Page):
    """A page anonymous readers see alike: its rendered HTML may be kept in the public page cache."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from .page_cache import mark_cacheable

        return mark_cacheable(super().serve(request, *args, **kwargs))


class HomePage(PublicPage):
    intro = models.TextField(blank=True, help_text="A few plain words introducing Voicebox.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    # The story index, and the site's own pages (about, contact, privacy...).
    subpage_types = ["stories.StoryIndexPage", "base.StandardPage"]
    template = "stories/home_page.html"

    def get_context(self, request, *args, **kwargs):
        from .listing import ReaderPreferences, published_stories

        context = super().get_context(request, *args, **kwargs)
        preferences = ReaderPreferences.from_request(request)
        context["recent_stories"] = list(preferences.apply(published_stories())[:6])
        context["themes"] = list(Theme.objects.filter(origin=Theme.Origin.CURATED))
        return context


class StoryIndexPage(PublicPage):
    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["stories.HomePage"]
    subpage_types = ["stories.StoryPage"]
    template = "stories/story_index_page.html"

    def get_context(self, request, *args, **kwargs):
        from .listing import StoryFilters, paginate, published_stories

        context = super().get_context(request, *args, **kwargs)
        filters = StoryFilters.from_request(request)
        context["filters"] = filters
        context["stories_page"] = paginate(request, filters.apply(published_stories()))
        return context


class StoryPage(PublicPage):
    """A published story. Only publishable content: what the contributor agreed the public may see."""

    body = StreamField(StoryBodyBlock(), blank=True, help_text="The story, paragraph by paragraph, as plain text.")
    story_format = models.CharField(max_length=8, choices=StoryFormat.choices, default=StoryFormat.TEXT)
    media = models.ForeignKey(StoryMedia, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # False when the contributor chose "my words, not my voice": the transcript is shown, the media never is.
    show_media = models.BooleanField(default=True)
    # The confirmed transcript (segments with timings), copied here when the story is published.
    transcript = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=12, default="en", help_text="Language code, e.g. en, cy, pl.")
    display_name = models.CharField(
        max_length=80, blank=True, help_text="How the contributor chose to be named; empty means anonymous."
    )
    perspective = models.CharField(max_length=16, choices=StoryPerspective.choices, blank=True)
    themes = ParentalManyToManyField(Theme, blank=True, related_name="stories")
    content_notes = ParentalManyToManyField(ContentNote, blank=True, related_name="stories")

    content_panels = [
        *Page.content_panels,
        FieldPanel("display_name"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("story_format"),
                FieldPanel("media"),
                FieldPanel("show_media"),
                FieldPanel("language"),
                FieldPanel("perspective"),
            ],
            heading="Format",
        ),
        FieldPanel("themes"),
        FieldPanel("content_notes"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("body"),
        index.SearchField("transcript_text"),
        index.FilterField("story_format"),
        index.FilterField("language"),
        index.FilterField("perspective"),
    ]
    # What the API (stories/api.py) may show: public fields only, an allow-list.
    api_fields = [
        APIField("byline", serializer=serializers.CharField(read_only=True)),
        APIField("story_format"),
        APIField("language"),
        APIField("summary", serializer=serializers.CharField(read_only=True)),
        APIField("body"),
        APIField("transcript"),
        APIField("themes", serializer=serializers.ReadOnlyField(source="public_themes")),
        APIField("content_notes", serializer=serializers.ReadOnlyField(source="public_content_notes")),
        APIField("duration", serializer=serializers.FloatField(read_only=True)),
        APIField("media_url", serializer=PublicLinkField("media_url")),
        APIField("captions_url", serializer=PublicLinkField("captions_url")),
    ]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []
    # Stories are made by the share flow only: nobody writes one in the page editor under a contributor's name.
    is_creatable = False
    template = "stories/story_page.html"

    # Every way Wagtail changes what the public sees of a page passes here (Revision.publish calls the page's
    # publish; the editor, bulk actions, history, revert, scheduled publishing and the admin API all call that), and
    # each is refused outside a recorded decision: see stories.governance.
    def publish(self, *args, **kwargs):
        require_governance()
        return super().publish(*args, **kwargs)

    def unpublish(self, *args, **kwargs):
        require_governance()
        return super().unpublish(*args, **kwargs)

    def save(self, *args, **kwargs):
        # A copy "kept live" is saved as a new live page without ever calling publish.
        if self._state.adding and self.live:
            require_governance()
        return super().save(*args, **kwargs)

    def permissions_for_user(self, user):
        return StoryPagePermissionTester(user, self)

    @property
    def transcript_text(self) -> str:
        return " ".join(segment.get("text", "").strip() for segment in self.transcript or [])

    @property
    def paragraphs(self) -> list[str]:
        return [block.value for block in self.body if block.block_type == "paragraph"]

    @property
    def byline(self) -> str:
        return self.display_name or "Anonymous"

    @property
    def plays_media(self) -> bool:
        """Whether the page offers a player: audio or video, with media, and not published as transcript only."""
        return self.story_format != StoryFormat.TEXT and self.show_media and self.media_id is not None

    @property
    def summary(self) -> str:
        """A short teaser for lists and feeds: the page's description, or the story's opening words."""
        if self.search_description:
            return self.search_description
        paragraphs = self.paragraphs
        return paragraphs[0] if paragraphs else ""

    @property
    def duration(self) -> float | None:
        """Length of the recording in seconds, when the page plays one."""
        return self.media.duration if self.plays_media else None

    @property
    def public_themes(self) -> list[dict]:
        return [{"name": theme.name, "slug": theme.slug} for theme in self.themes.all()]

    @property
    def public_content_notes(self) -> list[str]:
        return [note.name for note in self.content_notes.all()]

    def get_context(self, request, *args, **kwargs):
        from .listing import ReaderPreferences, published_stories
        from .similar import similar_stories

        context = super().get_context(request, *args, **kwargs)
        context["content_notes"] = list(self.content_notes.all())
        context["themes"] = list(self.themes.all())
        # Closest in meaning, in any language, among the stories this reader sees in lists (public, live, and without
        # the content notes they chose to hide); cached with the page, whose cache key includes those choices.
        context["similar_stories"] = similar_stories(
            self, ReaderPreferences.from_request(request).apply(published_stories())
        )
        # What other apps add under the story (services' responses), without the core naming them.
        context["more_sections"] = rendered_sections(STORY_SECTIONS, request, self)
        return context


class StoryPagePermissionTester(PagePermissionTester):
    """Nobody publishes, unpublishes, copies, moves, locks or deletes a story page in the admin, superusers included:
    a story goes public or private only by a recorded decision (the review screen), and withdrawal erases it through
    governance. No group's page permissions reach a story (Editors, or any group made later): only superusers and the
    story's reviewers may open its editor or drafts, and the editor sends them to the review screen
    (stories.wagtail_hooks). A story's words are the contributor's."""

    def can_edit(self):
        if not self.user.is_active:
            return False
        if self.user.is_superuser:
            return True
        task = self.page.current_workflow_task
        return bool(task and task.user_can_access_editor(self.page, self.user))

    def can_delete(self, ignore_bulk=False):
        return False

    def can_publish(self):
        return False

    def can_unpublish(self):
        return False

    def can_lock(self):
        return False

    def can_copy(self):
        return False

    def can_move(self):
        return False

    def can_move_to(self, destination):
        return False

    def can_copy_to(self, destination, recursive=False):
        return False


class ExperiencedTooCount(models.Model):
    """How many readers said "I've experienced this too" about a story: a bare number, nothing about who."""

    story = models.OneToOneField(StoryPage, on_delete=models.CASCADE, primary_key=True, related_name="+")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "“I've experienced this too” count"

    def __str__(self):
        return f"{self.count} for story {self.story_id}"

    @classmethod
    def for_story(cls, story_id: int) -> int:
        # Read for every reader of a cached story page, so as plain SQL (the ORM would double its cost).
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count FROM {cls._meta.db_table} WHERE story_id = %s", [story_id])  # noqa: S608
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def add_one(cls, story_id: int) -> int:
        cls.objects.get_or_create(story_id=story_id)
        cls.objects.filter(story_id=story_id).update(count=F("count") + 1)
        return cls.for_story(story_id)


class PublicCacheGeneration(models.Model):
    """One row whose number goes up whenever public content changes.

    Cached public pages remember the generation they were rendered in and are stale once it moves on. It lives in
    the database, not the cache, so every process agrees at once: web workers with their own local-memory caches,
    and the task worker that unpublishes expired stories.
    """

    generation = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Public cache generation {self.generation}"


class StoryVector(models.Model):
    """What a published story means, as numbers (stories/embeddings.py): never its words.

    A story has one `story` row, the whole story embedded as e5 compares texts as equals (for stories like this and
    emerging themes), and one `passage` row per chunk of its text or transcript, embedded as e5 passages to be found
    (for search). Rows exist only while the story is live: they are deleted when it is unpublished, and go with the
    page when it is erased. Vectors are little-endian float32 bytes, the same on SQLite and PostgreSQL.
    """

    class Kind(models.TextChoices):
        STORY = "story", "Whole story"
        PASSAGE = "passage", "Passage"

    class Source(models.TextChoices):
        BODY = "body", "Written text"
        TRANSCRIPT = "transcript", "Transcript"

    story = models.ForeignKey(StoryPage, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    # Where a passage starts: a paragraph or a transcript line (its words are read from the story when shown).
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.BODY)
    first = models.PositiveIntegerField(default=0)
    vector = models.BinaryField()
    # The digest of the text the story's vectors were made from: a story whose text is unchanged is not embedded again.
    text_digest = models.CharField(max_length=64)
    engine = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "kind", "position"], name="one_vector_per_place")]
        indexes = [models.Index(fields=["kind", "story"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position} of story {self.story_id}"
