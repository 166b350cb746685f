"""Build the public site for tests: the page tree, published stories (with a real published copy of their media)."""

import tempfile
from pathlib import Path

from django.core.files import File
from django.core.management import call_command
from wagtail.models import Page, Site

from stories.media_publishing import make_published_copy
from stories.models import ContentNote, HomePage, StoryIndexPage, StoryMedia, StoryPage, Theme
from tests import media_factory

# A transcript whose words are nowhere in the story's written text: search must find them in what was said.
SPOKEN_TRANSCRIPT = [
    {"start": 0.0, "end": 1.4, "text": "I kept a notebook of small wins.", "words": []},
    {"start": 1.4, "end": 2.8, "text": "The allotment was where I could breathe.", "words": []},
    {"start": 2.8, "end": 4.2, "text": "My peer worker never once rushed me.", "words": []},
    {"start": 4.2, "end": 6.0, "text": "Some days are still heavy, and that is fine.", "words": []},
]


def build_site() -> StoryIndexPage:
    """The home page at / and the story index at /stories/, as the default site."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Voicebox", slug="voicebox-home"))
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Voicebox")
    return home.add_child(instance=StoryIndexPage(title="Stories", slug="stories", intro="Stories people have shared."))


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
    story.save_revision().publish()
    run_queued_tasks()
    story.refresh_from_db()
    return story


def run_queued_tasks() -> None:
    """Run what publishing queued (the search index update), the way the worker does."""
    call_command("db_worker", batch=True, queue_name="default", startup_delay=False, interval=0, verbosity=0)
