"""Public addresses of a story's parts: its media (the published copy), its captions and its moments."""

from django.urls import reverse

from .media_delivery import published_media_url
from .models import StoryPage


def format_moment(seconds: float) -> str:
    """A moment as it appears in a link: 12.3, 75, never 75.0."""
    return f"{round(float(seconds), 1):g}"


def media_url(story: StoryPage) -> str | None:
    """Where the player loads the published copy from; None for a written or transcript-only story."""
    return published_media_url(story) if story.plays_media else None


def captions_url(story: StoryPage) -> str | None:
    if not story.plays_media or not story.transcript:
        return None
    return reverse("transcription:captions", args=[story.pk])


def moment_url(story: StoryPage, seconds: float, request=None) -> str:
    """A link that opens the story and starts playback at this moment (player.js reads `t`)."""
    return f"{story.get_url(request)}?t={format_moment(seconds)}"
