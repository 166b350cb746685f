"""Which published stories a reader sees in lists, and how they narrow them: filters, hidden content notes, pages.

Every list (home, index, theme pages, search, feeds) starts from `StoryPage.objects.published()` (stories/models.py),
so a withdrawn or expired story (unpublished, hence not live) leaves all of them at once. Filters are written as
`id IN (subquery)` so the same filters work on a search query, which only accepts filters on indexed fields.

The pages use this module, so it never imports them: it narrows the stories it is given, through their own model.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf.locale import LANG_INFO
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext

from .content import ContentNote, StoryFormat, StoryPerspective, Theme
from .generation import cached_for_generation

STORIES_PER_PAGE = 12
# A reader's own choice of content notes to hide from lists, kept on their device only (no login, no server state).
HIDDEN_NOTES_COOKIE = "vb_hide_notes"
MAX_HIDDEN_NOTES = 30
_SLUG = re.compile(r"^[-a-z0-9_]{1,60}$")


def language_name(code: str) -> str:
    """A story's language by name, in the reader's language (Django's catalogue names every language it knows)."""
    info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0]) or {}
    return gettext(info["name"]) if "name" in info else code


@dataclass(frozen=True)
class ReaderPreferences:
    """Content notes the reader asked not to see stories about (read from a cookie on their device)."""

    hidden_notes: tuple[str, ...] = ()

    @classmethod
    def from_request(cls, request) -> "ReaderPreferences":
        raw = request.COOKIES.get(HIDDEN_NOTES_COOKIE, "")
        return cls.from_slugs(raw.split(","))

    @classmethod
    def from_slugs(cls, slugs) -> "ReaderPreferences":
        clean = sorted({slug.strip() for slug in slugs if _SLUG.match(slug.strip())})
        return cls(hidden_notes=tuple(clean[:MAX_HIDDEN_NOTES]))

    @property
    def cookie_value(self) -> str:
        return ",".join(self.hidden_notes)

    def apply(self, stories: QuerySet) -> QuerySet:
        if not self.hidden_notes:
            return stories
        with_hidden_notes = stories.model.content_notes.through.objects.filter(
            contentnote__slug__in=self.hidden_notes
        ).values("storypage_id")
        return stories.exclude(id__in=with_hidden_notes)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class StoryFilters:
    """The narrowing a reader chose on a list: theme, format, language and perspective (from the query string)."""

    theme: str = ""
    story_format: str = ""
    language: str = ""
    perspective: str = ""
    preferences: ReaderPreferences = field(default_factory=ReaderPreferences)
    # The languages published stories are in (StoryPage.objects.published_languages), asked only for the choices.
    languages: Callable[[], list[str]] = field(default=list, compare=False, repr=False)

    @classmethod
    def from_request(cls, request, *, languages: Callable[[], list[str]], theme: str = "") -> "StoryFilters":
        story_format = request.GET.get("format", "")
        language = request.GET.get("language", "")
        perspective = request.GET.get("perspective", "")
        theme = theme or request.GET.get("theme", "")
        return cls(
            theme=theme if _SLUG.match(theme) else "",
            story_format=story_format if story_format in StoryFormat.values else "",
            language=language if re.match(r"^[a-zA-Z-]{2,12}$", language) else "",
            perspective=perspective if perspective in StoryPerspective.values else "",
            preferences=ReaderPreferences.from_request(request),
            languages=languages,
        )

    @property
    def active(self) -> bool:
        return bool(self.theme or self.story_format or self.language or self.perspective)

    def apply(self, stories: QuerySet) -> QuerySet:
        if self.theme:
            with_theme = stories.model.themes.through.objects.filter(theme__slug=self.theme).values("storypage_id")
            stories = stories.filter(id__in=with_theme)
        if self.story_format:
            stories = stories.filter(story_format=self.story_format)
        if self.language:
            stories = stories.filter(language=self.language)
        if self.perspective:
            stories = stories.filter(perspective=self.perspective)
        return self.preferences.apply(stories)

    def theme_choices(self) -> list[Choice]:
        return [Choice(theme.slug, theme.name, theme.slug == self.theme) for theme in Theme.objects.all()]

    def format_choices(self) -> list[Choice]:
        return [Choice(value, label, value == self.story_format) for value, label in StoryFormat.choices]

    def perspective_choices(self) -> list[Choice]:
        return [Choice(value, label, value == self.perspective) for value, label in StoryPerspective.choices]

    def language_choices(self) -> list[Choice]:
        # Listing every language means reading every story: done once per change, not once per search.
        codes = cached_for_generation("languages", self.languages)
        return [Choice(code, language_name(code), code == self.language) for code in codes]

    def hidden_note_names(self) -> list[str]:
        if not self.preferences.hidden_notes:
            return []
        return list(ContentNote.objects.filter(slug__in=self.preferences.hidden_notes).values_list("name", flat=True))

    def querystring(self, **overrides) -> str:
        """The filters as a query string (for pagination links), with some values replaced."""
        params = QueryDict(mutable=True)
        values = {
            "theme": self.theme,
            "format": self.story_format,
            "language": self.language,
            "perspective": self.perspective,
            **overrides,
        }
        for key, value in values.items():
            if value:
                params[key] = value
        return params.urlencode()


def paginate(request, stories: QuerySet, per_page: int = STORIES_PER_PAGE) -> PaginatorPage:
    return Paginator(stories, per_page).get_page(request.GET.get("page"))
