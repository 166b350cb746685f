"""Public addresses of a story's parts: its media (the published copy), its captions and its moments; and every
public address that shows a story, for cache purges and erasure.

Addresses are made from a story page's own fields, so this module needs no model: the pages themselves (their API
fields) use it.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.urls import reverse
from wagtail.contrib.frontend_cache.utils import PurgeBatch


def format_moment(seconds: float) -> str:
    """A moment as it appears in a link: 12.3, 75, never 75.0."""
    return f"{round(float(seconds), 1):g}"


def published_media_filename(story, media) -> str:
    return f"voicebox-story-{story.pk}{PurePosixPath(media.published_file.name).suffix}"


def published_media_url(story) -> str | None:
    """The public URL of a story's media (for players, feeds and the API), or None when the page offers none."""
    media = story.media if story.show_media and story.media_id else None
    if media is None or not media.published_file:
        return None
    return reverse("stories:published_media", args=[story.pk, published_media_filename(story, media)])


def media_url(story) -> str | None:
    """Where the player loads the published copy from; None for a written or transcript-only story."""
    return published_media_url(story) if story.plays_media else None


def captions_url(story) -> str | None:
    if not story.plays_media or not story.transcript:
        return None
    return reverse("stories:captions", args=[story.pk])


def moment_url(story, seconds: float, request=None) -> str:
    """A link that opens the story and starts playback at this moment (player.js reads `t`)."""
    return f"{story.get_url(request)}?t={format_moment(seconds)}"


def public_urls(story) -> list[str]:
    """Every public address that shows the story or something made from it: its page (Wagtail's cached paths), its
    captions and media, and the pages and feeds that list it. Taken before a story is deleted, to purge them after."""
    if not story.live or not story.full_url:
        return []
    batch = PurgeBatch()
    batch.add_page(story)
    # The pages that list the story (index, home) and the feeds, so it is not still listed from a cache.
    site = story.get_site()
    batch.add_pages(page for page in (story.get_parent(), site.root_page if site else None) if page is not None)
    others = [reverse("stories:captions", args=[story.pk])]
    if media := published_media_url(story):
        others.append(media)
    others += [reverse(name) for name in ("stories:feed", "stories:feed_atom", "stories:podcast")]
    batch.add_urls([_absolute(path) for path in others])
    return sorted(batch.urls)  # each in every interface language: base.frontend_cache


def purge(urls: list[str]) -> None:
    """Ask the CDN or caching proxy, when one is configured, to forget these addresses."""
    if urls and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        batch = PurgeBatch(urls)
        batch.purge()


def _absolute(path: str) -> str:
    return path if "://" in path else settings.WAGTAILADMIN_BASE_URL + path
