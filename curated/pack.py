"""Training packs: a collection as a zip, made on request and streamed as it is made, never kept.

For each story that shows now (curated.showing): its words as text (the written story and the transcript), the
transcript's captions as WebVTT, and its recording only where the contributor agreed to their voice or video being
published and still does. A README.txt gives the date the pack was made, how to use it, and for each story the
consent terms it was shared under (the choices, and the exact consent text they agreed to).
"""

import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext

from base.dates import long_date
from stories.captions import webvtt

from .models import StoryCollection
from .showing import Shown, showing

CHUNK_BYTES = 64 * 1024


class _Outbox(io.RawIOBase):
    """Where the zip is written: it keeps what was written until it is taken to be sent. Not seekable, so zipfile
    writes each member's sizes after its data, and nothing of the pack is ever held whole."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self._chunks = b"".join(self._chunks), []
        return data


def filename(collection: StoryCollection) -> str:
    return f"voicebox-{collection.slug}-{timezone.localdate():%Y-%m-%d}.zip"


def training_pack(collection: StoryCollection, collection_url: str) -> Iterator[bytes]:
    """The pack's bytes, a piece at a time; what shows is decided once, when the pack starts. Its words are in the
    language of the request (taken now: the pack is streamed after the view has returned)."""
    return _pack(collection, collection_url, translation.get_language())


def _pack(collection: StoryCollection, collection_url: str, language: str | None) -> Iterator[bytes]:
    shown = showing(collection)
    outbox = _Outbox()
    with zipfile.ZipFile(outbox, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        with translation.override(language):
            text = readme(collection, collection_url, shown)
        pack.writestr("README.txt", text)
        yield outbox.take()
        for number, item in enumerate(shown, start=1):
            folder = f"{number:02d}-{item.story.slug}"
            with translation.override(language):
                text = story_text(item)
            pack.writestr(f"{folder}/story.txt", text)
            if item.story.transcript:
                pack.writestr(f"{folder}/captions.vtt", webvtt(item.story.transcript))
            yield outbox.take()
            if item.media_may_be_shared:
                yield from _copy_media(pack, outbox, folder, item)
    yield outbox.take()


def _copy_media(pack: zipfile.ZipFile, outbox: _Outbox, folder: str, item: Shown) -> Iterator[bytes]:
    published = item.story.media.published_file
    name = f"{folder}/{_media_name(item)}{PurePosixPath(published.name).suffix}"
    # Recordings are compressed already: stored as they are.
    with published.open("rb") as source, pack.open(zipfile.ZipInfo(name, _now()), "w") as member:
        while chunk := source.read(CHUNK_BYTES):
            member.write(chunk)
            yield outbox.take()


def _media_name(item: Shown) -> str:
    return "video" if item.story.story_format == "video" else "recording"


def _now() -> tuple[int, ...]:
    return timezone.localtime().timetuple()[:6]


def story_text(item: Shown) -> str:
    story = item.story
    lines = [
        story.title,
        gettext("Shared by %(byline)s") % {"byline": story.byline},
        gettext("Language: %(language)s") % {"language": story.language},
        "",
    ]
    lines += [paragraph for paragraph in story.paragraphs for paragraph in (paragraph, "")]
    if story.transcript:
        lines += [gettext("Transcript"), ""]
        lines += [segment.get("text", "").strip() for segment in story.transcript]
    return "\n".join(lines).rstrip() + "\n"


def readme(collection: StoryCollection, collection_url: str, shown: list[Shown]) -> str:
    made = timezone.localtime()
    lines = [
        gettext("Voicebox training pack: %(title)s") % {"title": collection.title},
        gettext("Made on %(date)s at %(time)s from %(address)s")
        % {"date": long_date(made), "time": dateformat.format(made, "H:i T"), "address": collection_url},
        "",
        collection.introduction.strip(),
        "",
        gettext("Using these stories"),
        # One message for the paragraph, wrapped at its line ends (each language's own lines).
        *gettext(
            "These are real people's stories, shared on Voicebox under the terms below. Use them for learning and\n"
            "training, as they were gathered here. Do not publish them elsewhere or change their words. A person may "
            "take\n"
            "their story down or withdraw it at any time: make a new pack for each session and delete this one after.\n"
            "Recordings are included only where the person agreed to their voice or video being used."
        ).split("\n"),
        "",
        gettext("Stories (%(count)s)") % {"count": len(shown)},
    ]
    texts = {}
    for number, item in enumerate(shown, start=1):
        story, consent = item.story, item.consent
        shared_by = gettext("Shared by %(byline)s: %(address)s") % {"byline": story.byline, "address": story.full_url}
        lines += ["", f"{number:02d}. {story.title}", f"    {shared_by}"]
        if consent is None:
            lines.append(
                "    " + gettext("Published by Voicebox staff; no contributor's consent record applies. No recording.")
            )
        else:
            texts[consent.consent_text.version_hash] = consent.consent_text
            terms = [
                gettext("Shared under: %(title)s (version %(version)s),")
                % {"title": consent.consent_text.title, "version": consent.consent_text.version_hash[:12]},
                gettext("agreed on %(date)s.") % {"date": long_date(timezone.localtime(consent.given_at))},
                gettext("Who may see it: %(audience)s.") % {"audience": consent.get_audience_display()},
                gettext("How they are named: %(identity)s.") % {"identity": consent.get_identity_display()},
                gettext("Recording: %(recording)s.") % {"recording": consent.get_media_use_display()},
                gettext("Research use: yes.") if consent.research_use else gettext("Research use: no."),
                gettext("Until: %(date)s.") % {"date": long_date(consent.expires_on)}
                if consent.expires_on
                else gettext("Until: no end date."),
            ]
            lines += [f"    {term}" for term in terms]
        lines.append("    " + gettext("In this pack: %(files)s.") % {"files": ", ".join(_contents(item))})
    for version, text in texts.items():
        heading = gettext("--- Consent text: %(title)s (version %(version)s) ---") % {
            "title": text.title,
            "version": version[:12],
        }
        lines += ["", heading, text.body.strip()]
    return "\n".join(lines) + "\n"


def _contents(item: Shown) -> list[str]:
    contents = ["story.txt"]
    if item.story.transcript:
        contents.append("captions.vtt")
    if item.media_may_be_shared:
        contents.append(_media_name(item) + PurePosixPath(item.story.media.published_file.name).suffix)
    return contents
