"""Feeds of published stories: RSS and Atom (all stories, or one theme), and a podcast of the audio stories.

Every feed lists from `StoryPage.objects.published()`, so a withdrawn or expired story leaves the feeds when it is
unpublished. What contributors wrote is plain text and is sent as text: feed readers render an RSS description (and
Django's Atom summary, marked type="html") as HTML, so any markup someone typed would otherwise be run as markup.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from base.languages import local_path

from .links import media_url
from .models import StoryFormat, StoryPage, Theme
from .page_cache import mark_cacheable

FEED_ITEMS = 50
ITUNES_NAMESPACE = "http://www.itunes.com/dtds/podcast-1.0.dtd"


class PlainTextRssFeed(Rss201rev2Feed):
    """RSS 2.0 whose item descriptions are plain text: readers take a description as HTML, so it goes escaped."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": escape(item["description"])})


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose summaries are marked as the plain text they are (Django marks every summary type="html")."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        handler.addQuickElement("summary", item["description"], {"type": "text"})


class StoriesFeed(Feed):
    """The newest published stories, as RSS 2.0."""

    feed_type = PlainTextRssFeed
    title = _("Voicebox stories")
    description = _("Mental-health stories, told in people's own words: written, spoken and filmed.")

    def __init__(self):
        self.request = None

    def __call__(self, request, *args, **kwargs):
        return mark_cacheable(super().__call__(request, *args, **kwargs))

    def get_object(self, request, *args, **kwargs):
        # One instance serves one request (see `feed_view`), so keeping the request here is safe.
        self.request = request
        return None

    def link(self):
        return local_path("/stories/")

    def items(self):
        return StoryPage.objects.published()[:FEED_ITEMS]

    def item_title(self, story: StoryPage) -> str:
        return story.title

    def item_description(self, story: StoryPage) -> str:
        if story.summary:
            return story.summary
        if story.story_format == StoryFormat.AUDIO:
            return gettext("An audio story shared on Voicebox.")
        if story.story_format == StoryFormat.VIDEO:
            return gettext("A video story shared on Voicebox.")
        return gettext("A written story shared on Voicebox.")

    def item_link(self, story: StoryPage) -> str:
        return story.get_url(self.request)

    def item_guid(self, story: StoryPage) -> str:
        # A tag URI: stable even if the story's title and address change.
        return f"tag:{self.request.get_host().split(':')[0]},2026:story-{story.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, story: StoryPage) -> str:
        return story.byline

    def item_pubdate(self, story: StoryPage):
        return story.first_published_at

    def item_updateddate(self, story: StoryPage):
        return story.last_published_at

    def item_categories(self, story: StoryPage) -> list[str]:
        return [theme.name for theme in story.themes.all()]


class AtomStoriesFeed(StoriesFeed):
    feed_type = PlainTextAtomFeed
    subtitle = StoriesFeed.description


class ThemeStoriesFeed(StoriesFeed):
    """The newest published stories in one theme."""

    def get_object(self, request, slug):
        super().get_object(request)
        return get_object_or_404(Theme, slug=slug)

    def title(self, theme: Theme) -> str:
        return gettext("Voicebox stories: %(theme)s") % {"theme": theme.name}

    def description(self, theme: Theme) -> str:
        if theme.description:
            return theme.description
        return gettext("Stories about %(theme)s, told in people's own words.") % {"theme": theme.name}

    def link(self, theme: Theme) -> str:
        return reverse("stories:theme", args=[theme.slug])

    def items(self, theme: Theme):
        with_theme = StoryPage.themes.through.objects.filter(theme=theme).values("storypage_id")
        return StoryPage.objects.published().filter(id__in=with_theme)[:FEED_ITEMS]


class PodcastFeedGenerator(PlainTextRssFeed):
    """RSS 2.0 with the iTunes tags podcast apps read (author, category, image, explicit, duration...)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES_NAMESPACE}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.addQuickElement("itunes:author", "Voicebox")
        handler.addQuickElement("itunes:summary", self.feed["description"])
        handler.addQuickElement("itunes:type", "episodic")
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:image", attrs={"href": self.feed["image_url"]})
        handler.startElement("itunes:category", {"text": "Health & Fitness"})
        handler.addQuickElement("itunes:category", attrs={"text": "Mental Health"})
        handler.endElement("itunes:category")
        handler.startElement("image", {})
        handler.addQuickElement("url", self.feed["image_url"])
        handler.addQuickElement("title", self.feed["title"])
        handler.addQuickElement("link", self.feed["link"])
        handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("itunes:duration", item["duration"])
        handler.addQuickElement("itunes:author", item["author_name"])
        handler.addQuickElement("itunes:summary", item["description"])
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:episodeType", "full")


def itunes_duration(seconds: float | None) -> str:
    total = round(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


class PodcastFeed(StoriesFeed):
    """Audio stories whose contributors chose to publish their voice, with the recording as the enclosure."""

    feed_type = PodcastFeedGenerator
    title = _("Voicebox: stories in people's own voices")
    description = _(
        "Mental-health stories, told in people's own voices. Every episode has a transcript on the Voicebox website."
    )

    def items(self):
        return (
            StoryPage.objects.published()
            .filter(story_format=StoryFormat.AUDIO, show_media=True, media__isnull=False)
            .exclude(media__published_file="")
            .select_related("media")[:FEED_ITEMS]
        )

    def feed_extra_kwargs(self, obj):
        return {"image_url": self.request.build_absolute_uri(static("img/podcast-cover.png"))}

    def item_enclosures(self, story: StoryPage) -> list[Enclosure]:
        published = story.media.published_file
        url = self.request.build_absolute_uri(media_url(story))
        return [Enclosure(url, str(published.size), story.media.content_type or "audio/ogg")]

    def item_extra_kwargs(self, story: StoryPage) -> dict:
        return {"duration": itunes_duration(story.media.duration)}


def feed_view(feed_class: type[StoriesFeed]):
    """A view making a fresh feed object per request (the feed keeps the request to build absolute links)."""

    def view(request, *args, **kwargs):
        return feed_class()(request, *args, **kwargs)

    view.__name__ = feed_class.__name__
    return view
