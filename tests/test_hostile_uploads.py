"""Hostile uploads beyond a bad file (catalogue items 5, 7 and 10 of the reliability and security reference): bodies of
thousands of parts, several files in one field, pictures that are decompression bombs, and video streams that change
size mid-way. Each ends in a clear refusal (a 4xx, or the form again with a kind message) or fails only its own
job, and leaves no file behind.
"""

import os
import struct
import zlib
from pathlib import Path

import av
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from contributions.models import HeldUpload
from stories import media_intake
from stories.media_intake import MediaRejected, store_upload
from stories.media_publishing import make_published_copy, write_published_copy
from stories.models import StoryMedia
from tests import media_factory
from tests.moderators import make_user, sign_in

pytestmark = pytest.mark.django_db

BOUNDARY = "hostile-boundary"


@pytest.fixture
def upload_folder(tmp_path, settings):
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def story_step(client, story_index):
    """A client at the story step of sharing a recording, the step that takes a file."""
    assert client.post("/share/", {"method": "upload"}).status_code == 302
    return client


def multipart(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    """A multipart/form-data body of (field name, file name or None, content) parts, as a script would write it."""
    body = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        kind = "Content-Type: application/octet-stream\r\n" if filename else ""
        body += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n{kind}\r\n".encode() + content + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


def post_multipart(client: Client, path: str, parts) -> object:
    return client.generic("POST", path, multipart(parts), content_type=f"multipart/form-data; boundary={BOUNDARY}")


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


# --- 5. Too many parts; several files in one field --------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [
        [("media", f"part{index}.ogg", b"OggS") for index in range(10_000)],
        [(f"field{index}", None, b"x") for index in range(10_000)],
    ],
    ids=["10,000 files", "10,000 fields"],
)
def test_ten_thousand_parts_are_refused_with_a_400_and_nothing_left_open(story_step, upload_folder, parts):
    before = open_descriptors()
    response = post_multipart(story_step, "/share/story/", [("title", None, b"Mine"), *parts])

    assert response.status_code == 400
    assert "We couldn't read what your browser sent" in response.content.decode()
    # Django stops at DATA_UPLOAD_MAX_NUMBER_FILES (5) or _FIELDS (200): no handle per part, no file left behind.
    assert open_descriptors() <= before + 2
    assert list(upload_folder.iterdir()) == []
    assert StoryMedia.objects.count() == 0


def test_several_files_in_one_field_are_all_refused_and_the_form_kept(story_step, upload_folder, tmp_path):
    tone = media_factory.sine_tone(tmp_path / "tone.ogg").read_bytes()
    response = post_multipart(
        story_step,
        "/share/story/",
        [("title", None, b"Two files at once"), ("media", "one.ogg", tone), ("media", "two.ogg", tone)],
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Please choose just one file: a story has one recording." in html
    assert 'value="Two files at once"' in html
    assert StoryMedia.objects.count() == 0 and HeldUpload.objects.count() == 0
    assert list(upload_folder.iterdir()) == []


# --- 10. Picture bombs ------------------------------------------------------------------------------------------------


def png_bomb(path: Path) -> Path:
    """A 1 KB PNG whose header says 50,000 x 50,000 pixels (2.5 billion: about 7.5 GB once decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * 50_001 * 20)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
    return path


def fits_bomb(path: Path) -> Path:
    """A FITS image of 50,000 x 50,000 pixels whose data is gzip-compressed (CVE-2026-40192's kind of bomb)."""
    import gzip

    cards = [("SIMPLE", "T"), ("BITPIX", "8"), ("NAXIS", "2"), ("NAXIS1", "50000"), ("NAXIS2", "50000")]
    header = b"".join(f"{key:<8}= {value:>20}".ljust(80).encode() for key, value in cards) + b"END".ljust(80)
    path.write_bytes(header.ljust(2880, b" ") + gzip.compress(b"\0" * 1_000_000))
    return path


@pytest.fixture
def no_image_decoder(monkeypatch):
    """Pillow must never be asked to open what a contributor sends."""

    def refuse(*args, **kwargs):
        raise AssertionError("Pillow opened an upload")

    monkeypatch.setattr("PIL.Image.open", refuse)


@pytest.mark.urls("tests.test_media_intake")  # its small view: the capped handler, then store_upload
@pytest.mark.usefixtures("no_image_decoder")
@pytest.mark.parametrize("make", [png_bomb, fits_bomb], ids=["png", "fits"])
def test_a_picture_bomb_is_refused_by_its_content_with_a_400(tmp_path, upload_folder, make):
    bomb = make(tmp_path / "recording.mp3")  # named as a recording: the name is never consulted
    response = Client().post(
        "/upload/", {"title": "Mine", "media": SimpleUploadedFile("recording.mp3", bomb.read_bytes(), "audio/mpeg")}
    )

    assert response.status_code == 400
    assert response.json()["rejected"] == MediaRejected.NOT_MEDIA
    assert response.json()["kept"] == {"title": "Mine"}
    assert StoryMedia.objects.count() == 0 and list(upload_folder.iterdir()) == []


@pytest.mark.parametrize("make", [png_bomb, fits_bomb], ids=["png", "fits"])
def test_the_admin_image_library_refuses_a_picture_bomb_as_a_form_error(tmp_path, make):
    """Staff may add pictures to pages (Wagtail's image library, through Willow and Pillow): a bomb is a form error
    there, not a 500, and nothing is stored."""
    from wagtail.images import get_image_model

    admin = sign_in(make_user("ada", superuser=True))
    bomb = make(tmp_path / "bomb.png")  # the library's own extension check would stop a .fits by its name alone
    response = admin.post(
        "/admin/images/add/",
        {"title": "Bomb", "file": SimpleUploadedFile("bomb.png", bomb.read_bytes(), "image/png")},
    )

    assert response.status_code == 200
    assert "The image could not be created due to errors." in response.content.decode()
    assert get_image_model().objects.count() == 0


# --- 7. A stream that changes size mid-way ----------------------------------------------------------------------------


def upload_of(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="video/x-matroska")


def picture_sizes(path: Path) -> dict[tuple[int, int], int]:
    sizes: dict[tuple[int, int], int] = {}
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            sizes[(frame.width, frame.height)] = sizes.get((frame.width, frame.height), 0) + 1
    return sizes


@pytest.mark.parametrize(
    "video_codec, published",
    [
        ("libx265", {(320, 240): 50}),  # HEVC and AV1 are decoded and re-encoded at the size the stream declared
        ("libsvtav1", {(320, 240): 50}),
        ("libvpx", {(320, 240): 25, (640, 480): 25}),  # VP8 is copied packet for packet, as browsers play it
    ],
)
def test_a_mid_stream_size_change_is_taken_and_published(tmp_path, video_codec, published):
    clip = media_factory.resolution_change(tmp_path / "changes.mkv", video_codec=video_codec)
    assert picture_sizes(clip) == {(320, 240): 25, (640, 480): 25}

    media = store_upload(upload_of(clip), title="Two sizes")
    assert (media.type, media.width, media.height) == ("video", 320, 240)
    make_published_copy(media)

    assert picture_sizes(Path(media.published_file.path)) == published


def test_a_stream_growing_past_the_picture_cap_fails_only_its_own_copy(tmp_path, monkeypatch):
    """FFmpeg's decoder is held to MAX_VIDEO_PIXELS (its `max_pixels`), so a stream that declares a small picture
    and then grows is refused while decoding, not given the worker's memory. The cap is lowered here so the growth
    is small enough to make quickly; a real 16384 x 16384 picture meets the same check."""
    monkeypatch.setattr(media_intake, "MAX_VIDEO_PIXELS", 320 * 240)
    clip = media_factory.resolution_change(tmp_path / "grows.mkv", video_codec="libx265")
    media = store_upload(upload_of(clip), title="Grows")  # its header says 320 x 240: intake decodes no pictures
    public_before = {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}
    work_folder = tmp_path / "work"
    work_folder.mkdir()
    monkeypatch.setattr(settings, "FILE_UPLOAD_TEMP_DIR", str(work_folder))

    with pytest.raises(MediaRejected) as refused:
        write_published_copy(media)

    assert refused.value.kind == MediaRejected.UNREADABLE
    assert {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()} == public_before
    assert list(work_folder.iterdir()) == []
    # The next story's copy is made as ever: the failure was this file's alone.
    ordinary = store_upload(
        upload_of(media_factory.resolution_change(tmp_path / "small.mkv", video_codec="libx265", sizes=((320, 240),))),
        title="Fine",
    )
    make_published_copy(ordinary)
    assert picture_sizes(Path(ordinary.published_file.path)) == {(320, 240): 25}


def test_a_picture_over_the_cap_is_refused_at_intake(tmp_path, monkeypatch):
    monkeypatch.setattr(media_intake, "MAX_VIDEO_PIXELS", 160 * 120)
    clip = media_factory.video_with_audio(tmp_path / "big.mp4", size=(320, 240))
    with pytest.raises(MediaRejected) as refused:
        store_upload(SimpleUploadedFile("big.mp4", clip.read_bytes()), title="Too big")
    assert refused.value.kind == MediaRejected.PICTURE_TOO_LARGE
    assert refused.value.message.startswith("This video's picture is bigger than we can take (4K is the most).")
    assert StoryMedia.objects.count() == 0


# --- 12. The EICAR test file (no virus scanner here: see the README's "Security and reliability") ------------------

# The antivirus industry's harmless test string: every scanner reports a file that starts with it.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def private_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def test_the_eicar_test_file_is_refused_by_its_content_and_nothing_is_kept():
    before = private_files()
    with pytest.raises(MediaRejected) as refused:
        store_upload(SimpleUploadedFile("story.mp3", EICAR, "audio/mpeg"), title="Test file")
    assert refused.value.kind == MediaRejected.UNREADABLE
    assert StoryMedia.objects.count() == 0 and private_files() == before


def test_eicar_in_front_of_real_mp3_stays_private_and_its_public_copy_carries_none_of_it(tmp_path):
    """FFmpeg's MP3 reader skips leading junk, so this one is taken (a scanner would flag the original): the original
    stays in private storage, and the public copy is newly written from decoded sound, so the bytes never reach it."""
    mp3 = media_factory.sine_tone(tmp_path / "tone.mp3", codec="libmp3lame").read_bytes()
    media = store_upload(SimpleUploadedFile("story.mp3", EICAR + mp3, "audio/mpeg"), title="Prefixed")
    assert Path(media.file.path).read_bytes().startswith(EICAR)
    assert not Path(media.file.path).is_relative_to(settings.MEDIA_ROOT)

    make_published_copy(media)

    assert media.published_file.name.endswith(".m4a")
    assert b"EICAR" not in Path(media.published_file.path).read_bytes()
