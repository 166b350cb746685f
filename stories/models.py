"""The public content core's pages: home, the story index and the stories; and every model of the app, for Django.

The pages stand on top: they are made of the models in stories/content.py (formats, themes, content notes, media),
and they use the lists (stories/listing.py), the page cache and stories like this one, which use those models and
what is kept beside the stories (stories/records.py) but never the pages. Nothing private lives here: contact
details, consent answers and story keys belong to `moderation`.
"""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext
from modelcluster.fields import ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PagePermissionTester
from wagtail.query import PageQuerySet
from wagtail.search import index

from base.sections import STORY_SECTIONS, rendered_sections

from .api_fields import PublicLinkField
from .blocks import StoryBodyBlock
from .content import ContentNote, StoryFormat, StoryMedia, StoryPerspective, Theme
from .governance import require_governance
from .listing import ReaderPreferences, StoryFilters, paginate
from .page_cache import mark_cacheable
from .records import ExperiencedTooCount, PublicCacheGeneration, StoryVector
from .similar import similar_stories

# Every model of the app is found here (Django imports this module), wherever it is defined; other apps import them
# from here too.
__all__ = [
    "ContentNote",
    "ExperiencedTooCount",
    "HomePage",
    "PublicCacheGeneration",
    "PublicPage",
    "StoryFormat",
    "StoryIndexPage",
    "StoryMedia",
    "StoryPage",
    "StoryPerspective",
    "StoryVector",
    "Theme",
]


class PublicPage(Page):
    """A page anonymous readers see alike: its rendered HTML may be kept in the public page cache."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        return mark_cacheable(super().serve(request, *args, **kwargs))


class HomePage(PublicPage):
    intro = models.TextField(blank=True, help_text="A few plain words introducing Voicebox.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    # The story index, and the site's own pages (about, contact, privacy...).
    subpage_types = ["stories.StoryIndexPage", "base.StandardPage"]
    template = "stories/home_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        preferences = ReaderPreferences.from_request(request)
        context["recent_stories"] = list(preferences.apply(StoryPage.objects.published())[:6])
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
        context = super().get_context(request, *args, **kwargs)
        filters = StoryFilters.from_request(request, languages=StoryPage.objects.published_languages)
        context["filters"] = filters
        context["stories_page"] = paginate(request, filters.apply(StoryPage.objects.published()))
        return context


class StoryPageQuerySet(PageQuerySet):
    def published(self) -> "StoryPageQuerySet":
        """Live, public stories, newest first, ready for a list: themes and notes prefetched, the transcript left out.

        Every list (home, index, theme pages, search, feeds) starts from here, so a withdrawn or expired story
        (unpublished, hence not live) leaves all of them at once.
        """
        return (
            self.live()
            .public()
            .defer("transcript")
            .annotate(media_duration=F("media__duration"))
            .prefetch_related("themes", "content_notes")
            .order_by("-first_published_at", "-id")
        )

    def published_languages(self) -> list[str]:
        """The languages live, public stories are in (what the language filter offers)."""
        return list(self.live().public().order_by("language").values_list("language", flat=True).distinct())


class StoryPage(PublicPage):
    """A published story. Only publishable content: what the contributor agreed the public may see."""

    objects = PageManager.from_queryset(StoryPageQuerySet)()

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
        return self.display_name or gettext("Anonymous")

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
        context = super().get_context(request, *args, **kwargs)
        context["content_notes"] = list(self.content_notes.all())
        context["themes"] = list(self.themes.all())
        # Closest in meaning, in any language, among the stories this reader sees in lists (public, live, and without
        # the content notes they chose to hide); cached with the page, whose cache key includes those choices.
        context["similar_stories"] = similar_stories(
            self, ReaderPreferences.from_request(request).apply(StoryPage.objects.published())
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
