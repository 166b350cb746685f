"""factory_boy factories for the content core and the private side of a story.

site_tree()                         the home page (default site root) and the story index, made once per database
StoryPageFactory(parent=index)      a story page (a draft unless published)
ContributionFactory()               a contribution with a draft story; `.key` holds its story key (tests only)
ConsentRecordFactory(contribution)  what the contributor chose, against the current consent text
heard_word(" Jane", 1.5, 1.9)       a word as Whisper stores it in a transcript segment (leading space, times)
"""

import tempfile
from pathlib import Path

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory
from wagtail.models import Page, Site

from moderation.models import ConsentRecord, ConsentText, Contribution, StoryStatus
from moderation.models.contributions import hash_story_key
from stories.models import ContentNote, HomePage, StoryIndexPage, StoryMedia, StoryPage, Theme
from tests import media_factory


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    origin = Theme.Origin.CURATED


class ContentNoteFactory(DjangoModelFactory):
    class Meta:
        model = ContentNote
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Content note {n}")


class ConsentTextFactory(DjangoModelFactory):
    class Meta:
        model = ConsentText

    title = factory.Sequence(lambda n: f"Sharing your story (version {n})")
    body = "Your story is yours. You can withdraw it at any time with your private link."
    is_current = True


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Voicebox"
    slug = "voicebox-home"
    intro = "Mental-health recovery stories, told in people's own words."


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StoryIndexPage

    title = "Stories"
    slug = "stories"


class StoryPageFactory(wagtail_factories.PageFactory):
    """A draft story (live=False); pass live=True for a published one."""

    class Meta:
        model = StoryPage

    title = factory.Sequence(lambda n: f"A story of mine {n}")
    slug = factory.Sequence(lambda n: f"a-story-of-mine-{n}")
    live = False
    body = factory.LazyFunction(lambda: [("paragraph", "Some days were hard."), ("paragraph", "Some were better.")])
    story_format = "text"
    language = "en"


def _tone_file(seconds: float) -> ContentFile:
    with tempfile.TemporaryDirectory() as directory:
        path = media_factory.sine_tone(Path(directory) / "upload.ogg", seconds=seconds)
        return ContentFile(path.read_bytes(), name="upload.ogg")


class StoryMediaFactory(DjangoModelFactory):
    """A story's recording: real audio made with PyAV, saved under a random name in the private storage."""

    class Meta:
        model = StoryMedia

    title = "A recording"
    type = "audio"
    duration = 2.0
    file = factory.LazyAttribute(lambda media: _tone_file(media.duration))
    container = "ogg"
    audio_codec = "opus"
    content_type = "audio/ogg"


def site_tree() -> tuple[HomePage, StoryIndexPage]:
    """The home page as the default site's root, with the story index at /stories/. Safe to call repeatedly."""
    home = HomePage.objects.first()
    if home is None:
        home = HomePageFactory(parent=Page.get_first_root_node())
        Site.objects.all().delete()
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Voicebox")
    index = StoryIndexPage.objects.first() or StoryIndexPageFactory(parent=home)
    return home, index


class ContributionFactory(DjangoModelFactory):
    """A contribution with a draft story under the story index. The story key is on `.key` (never stored)."""

    class Meta:
        model = Contribution

    key = factory.LazyFunction(lambda: Contribution.new_key()[0])
    story = factory.LazyFunction(lambda: StoryPageFactory(parent=site_tree()[1]))
    status = StoryStatus.IN_MODERATION
    channel = Contribution.Channel.WEB

    @classmethod
    def _create(cls, model_class, *args, key: str, **kwargs):
        contribution = super()._create(model_class, *args, key_hash=hash_story_key(key), **kwargs)
        contribution.key = key
        return contribution


class ConsentRecordFactory(DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    contribution = factory.SubFactory(ContributionFactory)
    consent_text = factory.LazyFunction(lambda: ConsentText.current() or ConsentTextFactory())
    text_version_hash = factory.LazyAttribute(lambda record: record.consent_text.version_hash)
    audience = ConsentRecord.Audience.PUBLIC
    identity = ConsentRecord.Identity.ANONYMOUS
    media_use = ConsentRecord.MediaUse.PUBLISH_MEDIA
    research_use = False
    minimal_edits_preauthorised = False
    channel = Contribution.Channel.WEB


def heard_word(text: str, start: float, end: float) -> dict:
    return {"start": start, "end": end, "word": text, "probability": 0.9}
