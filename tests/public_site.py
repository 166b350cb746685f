"""Build the public site for tests: the page tree, published stories (with a real published copy of their media)."""

import tempfile
from pathlib import Path

from django.core.files import File

from stories.governance import publishing_under_governance
from stories.media_publishing import make_published_copy
from stories.models import ContentNote, StoryIndexPage, StoryMedia, StoryPage, Theme
from tests import media_factory
from tests.factories import site_tree
from tests.workers import run_queue

# A transcript whose words are nowhere in the story's written text: search must find them in what was said.
SPOKEN_TRANSCRIPT = [
    {"start": 0.0, "end": 1.4, "text": "I kept a notebook of small wins.", "words": []},
    {"start": 1.4, "end": 2.8, "text": "The allotment was where I could breathe.", "words": []},
    {"start": 2.8, "end": 4.2, "text": "My peer worker never once rushed me.", "words": []},
    {"start": 4.2, "end": 6.0, "text": "Some days are still heavy, and that is fine.", "words": []},
]


def build_site() -> StoryIndexPage:
    """The story index at /stories/ under the home page at / (tests.factories.site_tree, the one site builder)."""
    return site_tree()[1]


def theme(name: str, **kwargs) -> Theme:
    return Theme.objects.get_or_create(name=name, defaults=kwargs)[0]


def content_note(name: str) -> ContentNote:
    return ContentNote.objects.get_or_create(name=name)[0]


def media(kind: str = "audio", seconds: float = 6.0) -> StoryMedia:
    """Story media made with PyAV, with its published copy made the way publication makes it."""
    with tempfile.TemporaryDirectory() as directory:
        if kind == "video":
            # VP8 and Opus in WebM: what every browser plays, Chromium builds without H.264 included.
            path = media_factory.video_with_audio(
                Path(directory) / "upload.webm", seconds=seconds, video_codec="libvpx", audio_codec="libopus"
            )
        else:
            path = media_factory.sine_tone(Path(directory) / "upload.ogg", seconds=seconds)
        with path.open("rb") as handle:
            story_media = StoryMedia(title="Story media", type=kind, duration=seconds)
            story_media.file.save(path.name, File(handle), save=False)
            story_media.save()
    make_published_copy(story_media)
    story_media.refresh_from_db()
    return story_media


def publish_story(
    index: StoryIndexPage,
    title: str,
    *,
    body: tuple[str, ...] = (),
    story_format: str = "text",
    transcript: list[dict] | None = None,
    story_media: StoryMedia | None = None,
    show_media: bool = True,
    language: str = "en",
    themes: tuple[Theme, ...] = (),
    notes: tuple[ContentNote, ...] = (),
    display_name: str = "",
) -> StoryPage:
    story = StoryPage(
        title=title,
        body=[("paragraph", paragraph) for paragraph in body],
        story_format=story_format,
        transcript=transcript or [],
        media=story_media,
        show_media=show_media,
        language=language,
        display_name=display_name,
        live=False,
    )
    index.add_child(instance=story)
    story.themes.set(themes)
    story.content_notes.set(notes)
    with publishing_under_governance():  # standing in for a moderation decision
        story.save_revision().publish()
    run_queue("default")  # what publishing queued: the search index update
    story.refresh_from_db()
    return story
