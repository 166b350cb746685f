"""Media intake: files are judged by content, capped in size and length, renamed, remuxed and published clean.

Uploads go through the real multipart parser and the capped upload handler via a small view defined here (the
share flow uses the same three calls: `capped_uploads`, `uploaded_media`, `store_upload`).
"""

import base64
import re
import uuid
from pathlib import Path

import av
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import JsonResponse
from django.test import Client, override_settings
from django.urls import path
from PIL import Image

from stories.media_intake import MediaRejected, probe, store_upload
from stories.media_publishing import make_published_copy
from stories.models import StoryMedia
from stories.upload_handlers import capped_uploads, uploaded_media
from tests import media_factory
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import require_service_in_ci
from voicebox import urls as site_urls

STORED_NAME = re.compile(r"^story-media/[0-9a-f]{32}\.[a-z0-9]{1,7}$")


@capped_uploads
def upload_view(request):
    kept = {key: request.POST.get(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    try:
        upload = uploaded_media(request, "media")
        media = store_upload(upload, title=request.POST.get("title", "")) if upload else None
    except MediaRejected as rejected:
        return JsonResponse({"rejected": rejected.kind, "message": rejected.message, "kept": kept}, status=400)
    return JsonResponse({"media": media.pk if media else None, "kept": kept})


# The site's own URLs too: its pages (a refused form's, for one) link to them.
# The site's own patterns alongside (not included: its language-prefixed patterns must sit in the root URLconf).
urlpatterns = [path("upload/", upload_view), *site_urls.urlpatterns]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def private_files() -> list[Path]:
    root = Path(storages["private"].location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(name: str, path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, path.read_bytes(), content_type="audio/mpeg")


def assert_rejected(path: Path, kind: str) -> MediaRejected:
    with pytest.raises(MediaRejected) as caught:
        probe(path)
    assert caught.value.kind == kind
    assert caught.value.message.endswith("Everything you typed is still here.")
    return caught.value


# --- Refused by content -------------------------------------------------------------------------------------------


def test_html_renamed_mp3_is_refused_by_content_and_the_text_is_kept(tmp_path):
    page = tmp_path / "story.mp3"
    page.write_text("<!doctype html><html><body><script>alert('hi')</script></body></html>")
    assert_rejected(page, MediaRejected.NOT_MEDIA)

    before = private_files()
    response = Client().post(
        "/upload/", {"title": "My story", "story_text": "Every word I typed", "media": upload("story.mp3", page)}
    )
    assert response.status_code == 400
    assert response.json()["rejected"] == "not_media"
    assert response.json()["message"].startswith("This file doesn't seem to be a sound or video recording")
    assert response.json()["kept"] == {"title": "My story", "story_text": "Every word I typed"}
    assert StoryMedia.objects.count() == 0
    assert private_files() == before


def test_png_renamed_mp3_is_refused_by_content(tmp_path):
    picture = tmp_path / "song.mp3"
    Image.new("RGB", (16, 16), "purple").save(picture, format="PNG")
    assert_rejected(picture, MediaRejected.NOT_MEDIA)


def test_svg_is_refused(tmp_path):
    drawing = tmp_path / "voice.ogg"
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    assert_rejected(drawing, MediaRejected.NOT_MEDIA)


def test_plain_text_is_refused_by_ffmpeg(tmp_path):
    text = tmp_path / "notes.mp3"
    text.write_text("just some words, not a recording\n" * 20)
    assert_rejected(text, MediaRejected.UNREADABLE)


def test_zero_byte_file_is_refused(tmp_path):
    empty = tmp_path / "empty.ogg"
    empty.touch()
    rejected = assert_rejected(empty, MediaRejected.EMPTY)
    assert rejected.message.startswith("This file is empty")


def test_truncated_audio_is_refused(tmp_path):
    # A phone's voice memo (AAC in M4A) cut in half: the index at the end is gone.
    memo = media_factory.sine_tone(tmp_path / "memo.m4a", seconds=6, codec="aac", container_format="mp4")
    rejected = assert_rejected(media_factory.truncated(memo, tmp_path / "cut.m4a"), MediaRejected.UNREADABLE)
    assert rejected.message == (
        "We couldn't read this file as audio or video. It may be damaged or in a format we don't accept — you could "
        "try recording in the browser instead. Everything you typed is still here."
    )


def test_truncated_audio_with_its_index_first_is_refused(tmp_path):
    # Index at the front (faststart): it opens, but the header promises 6 s and the file holds 3.
    memo = media_factory.sine_tone(
        tmp_path / "memo.m4a", seconds=6, codec="aac", container_format="mp4", options={"movflags": "+faststart"}
    )
    assert_rejected(media_factory.truncated(memo, tmp_path / "cut.m4a"), MediaRejected.UNREADABLE)


def test_playlist_pointing_at_a_local_file_is_refused(tmp_path):
    # The HLS trick that makes FFmpeg read local files: the hls demuxer isn't allowed, nor any protocol but `file`.
    playlist = tmp_path / "story.mp3"
    playlist.write_text("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n")
    with pytest.raises(MediaRejected) as caught:
        probe(playlist)
    assert caught.value.kind in (MediaRejected.NOT_MEDIA, MediaRejected.UNREADABLE)


def test_container_outside_the_allow_list_is_refused(tmp_path):
    # AVI holding allow-listed codecs: the demuxer itself is not allowed.
    movie = media_factory.video_with_audio(tmp_path / "clip.avi", video_codec="libx264", audio_codec="aac")
    assert_rejected(movie, MediaRejected.UNREADABLE)


def test_codec_outside_the_allow_list_is_refused(tmp_path):
    surround = media_factory.sine_tone(tmp_path / "film.mka", codec="ac3")
    rejected = assert_rejected(surround, MediaRejected.UNSUPPORTED)
    assert "MP3, M4A, MP4, WebM and OGG" in rejected.message


def test_video_without_sound_is_refused(tmp_path):
    with av.open(str(tmp_path / "silent.mp4"), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(25):
            frame = av.VideoFrame(64, 48, "yuv420p")
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    assert_rejected(tmp_path / "silent.mp4", MediaRejected.NO_AUDIO)


# --- Caps ---------------------------------------------------------------------------------------------------------


def test_upload_over_the_size_cap_stops_while_streaming(tmp_path):
    """The real multipart parser feeds the capped handler in 64 KiB chunks; it stops at the cap mid-file."""
    temp_dir = tmp_path / "uploads"
    temp_dir.mkdir()
    big = media_factory.sine_tone(tmp_path / "long.wav", seconds=5, codec="pcm_s16le")  # 480 KB
    assert big.stat().st_size > 300_000
    with override_settings(VOICEBOX_MAX_UPLOAD_BYTES=100_000, FILE_UPLOAD_TEMP_DIR=str(temp_dir)):
        response = Client().post(
            "/upload/",
            # Fields after the file still arrive: the rest of the file is read and thrown away, not the form.
            {"title": "Mine", "media": upload("long.wav", big), "story_text": "typed after choosing the file"},
        )
    assert response.status_code == 400
    assert response.json()["rejected"] == "too_large"
    assert response.json()["message"].startswith("This file is bigger than 97 KB, which is the most we can take.")
    assert response.json()["kept"] == {"title": "Mine", "story_text": "typed after choosing the file"}
    assert list(temp_dir.iterdir()) == []  # the partial temporary file is deleted
    assert StoryMedia.objects.count() == 0


def test_size_cap_message_names_the_limit():
    with override_settings(VOICEBOX_MAX_UPLOAD_BYTES=500 * 1024 * 1024):
        assert MediaRejected.too_large().message.startswith("This file is bigger than 500 MB, which is the most")


def test_upload_under_the_size_cap_is_stored(tmp_path):
    temp_dir = tmp_path / "uploads"
    temp_dir.mkdir()
    tone = media_factory.sine_tone(tmp_path / "tone.ogg")
    with override_settings(VOICEBOX_MAX_UPLOAD_BYTES=tone.stat().st_size + 10, FILE_UPLOAD_TEMP_DIR=str(temp_dir)):
        response = Client().post("/upload/", {"title": "Mine", "media": upload("tone.ogg", tone)})
    assert response.status_code == 200, response.content
    media = StoryMedia.objects.get(pk=response.json()["media"])
    assert (media.type, media.container, media.audio_codec) == ("audio", "ogg", "opus")
    assert list(temp_dir.iterdir()) == []


def test_capped_uploads_keeps_csrf_protection(tmp_path):
    tone = media_factory.sine_tone(tmp_path / "tone.ogg")
    response = Client(enforce_csrf_checks=True).post("/upload/", {"media": upload("tone.ogg", tone)})
    assert response.status_code == 403


@override_settings(VOICEBOX_MAX_MEDIA_SECONDS=1)
def test_recording_over_the_duration_cap_is_refused(tmp_path):
    three_seconds = media_factory.sine_tone(tmp_path / "tone.ogg", seconds=3)
    rejected = assert_rejected(three_seconds, MediaRejected.TOO_LONG)
    assert rejected.message.startswith("This recording is longer than 1 second, which is the longest we can take.")
    with pytest.raises(MediaRejected):
        store_upload(upload("tone.ogg", three_seconds), title="Too long")
    assert StoryMedia.objects.count() == 0


@override_settings(VOICEBOX_MAX_MEDIA_SECONDS=1)
def test_duration_cap_counts_packets_when_the_header_has_no_duration(tmp_path):
    recording = media_factory.mediarecorder_webm(tmp_path / "recording.webm", seconds=3)
    assert_rejected(recording, MediaRejected.TOO_LONG)


# --- Stored privately under a random name -------------------------------------------------------------------------


def test_hostile_file_name_never_reaches_a_path(tmp_path):
    """A raw multipart body, so the server (not the test client) sees `../` and a right-to-left override."""
    hostile = "../../etc/\u202egpj.ogg"
    boundary = uuid.uuid4().hex
    tone = media_factory.sine_tone(tmp_path / "tone.ogg").read_bytes()
    body = b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nMine\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="{hostile}"\r\n'.encode(),
            b"Content-Type: image/jpeg\r\n\r\n",
            tone,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    response = Client().generic("POST", "/upload/", body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 200, response.content
    media = StoryMedia.objects.get(pk=response.json()["media"])
    assert STORED_NAME.match(media.file.name), media.file.name
    assert media.file.name.endswith(".ogg")  # from the probed container, not the name or the declared type
    assert "\u202e" not in media.file.name and ".." not in media.file.name
    stored = Path(storages["private"].path(media.file.name))
    assert stored.exists() and stored.resolve().is_relative_to(Path(storages["private"].location).resolve())


def test_store_upload_ignores_the_name_even_without_djangos_sanitising(tmp_path):
    tone = media_factory.sine_tone(tmp_path / "tone.ogg")
    media = store_upload(upload("../../\u202e3pm.exe/..%00.php", tone), title="x" * 400)
    assert STORED_NAME.match(media.file.name), media.file.name
    assert len(media.title) == 255


# --- Accepted, described and made seekable ------------------------------------------------------------------------


def test_mediarecorder_webm_gets_a_duration_and_seeks(tmp_path):
    recording = media_factory.mediarecorder_webm(tmp_path / "recording.webm", seconds=3)
    with av.open(str(recording)) as container:
        assert container.duration is None  # as Chromium's MediaRecorder leaves it
    assert not media_factory.has_matroska_cues(recording)

    media = store_upload(upload("recording.webm", recording), title="Recorded in the browser")

    assert (media.type, media.container, media.audio_codec, media.content_type) == (
        "audio",
        "webm",
        "opus",
        "audio/webm",
    )
    assert media.duration == pytest.approx(3.0, abs=0.05)
    stored = Path(media.file.path)
    assert media_factory.has_matroska_cues(stored)
    with av.open(str(stored)) as container:
        assert container.duration / av.time_base == pytest.approx(3.0, abs=0.05)
        stream = container.streams.audio[0]
        container.seek(2 * av.time_base)
        frame = next(container.decode(stream))
        assert float(frame.pts * frame.time_base) == pytest.approx(2.0, abs=0.1)


def test_safari_fragmented_mp4_is_remuxed_with_an_index(tmp_path):
    recording = media_factory.safari_mp4(tmp_path / "recording.mp4", seconds=3)
    assert "moof" in media_factory.top_level_boxes(recording)
    assert probe(recording).needs_remux

    media = store_upload(upload("recording.mp4", recording), title="Recorded in Safari")

    assert (media.type, media.container, media.audio_codec, media.content_type) == ("audio", "mp4", "aac", "audio/mp4")
    stored = Path(media.file.path)
    boxes = media_factory.top_level_boxes(stored)
    assert "moof" not in boxes and boxes.index("moov") < boxes.index("mdat")  # one index, up front (faststart)
    assert media.duration == pytest.approx(3.0, abs=0.05)


def test_video_with_audio_is_accepted_as_video(tmp_path):
    clip = media_factory.video_with_audio(tmp_path / "clip.mov", size=(320, 240))
    media = store_upload(upload("clip.mp3", clip), title="On camera")
    assert (media.type, media.container, media.video_codec, media.audio_codec) == ("video", "mp4", "h264", "aac")
    assert (media.width, media.height, media.content_type) == (320, 240, "video/mp4")
    assert media.duration == pytest.approx(2.0, abs=0.1)
    assert media.file.name.endswith(".mp4")


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("a.mp3", lambda p: media_factory.sine_tone(p, codec="libmp3lame"), ("mp3", "mp3", "audio/mpeg")),
        ("a.wav", lambda p: media_factory.sine_tone(p, codec="pcm_s16le"), ("wav", "pcm_s16le", "audio/wav")),
        ("a.flac", lambda p: media_factory.sine_tone(p, codec="flac"), ("flac", "flac", "audio/flac")),
        (
            "a.m4a",
            lambda p: media_factory.sine_tone(p, codec="aac", container_format="mp4"),
            ("mp4", "aac", "audio/mp4"),
        ),
        ("a.ogg", lambda p: media_factory.silent_audio(p), ("ogg", "opus", "audio/ogg")),
    ],
)
def test_common_audio_formats_are_accepted(tmp_path, name, make, expected):
    probed = probe(make(tmp_path / name))
    assert (probed.kind, probed.container, probed.audio_codec, probed.content_type) == ("audio", *expected)
    assert probed.duration == pytest.approx(3.0, abs=0.05)


# --- The published copy -------------------------------------------------------------------------------------------

PERSONAL_TAGS = {
    "title": "Sam's story",
    "artist": "Sam Smith",
    "comment": "Recorded on Ward 7",
    "location": "+51.5074-000.1278/",
}


def all_tags(path: Path) -> dict[str, str]:
    with av.open(str(path)) as container:
        tags = dict(container.metadata)
        for stream in container.streams:
            tags.update(stream.metadata)
    return tags


def test_published_copy_has_no_metadata(tmp_path):
    clip = media_factory.video_with_audio(tmp_path / "phone.mov", metadata=PERSONAL_TAGS)
    source_tags = all_tags(clip)
    assert {"title", "artist", "comment", "location", "encoder"} <= set(source_tags)  # the source really has them
    assert b"\xa9xyz" in clip.read_bytes()  # QuickTime's GPS atom

    media = store_upload(upload("phone.mov", clip), title="Phone video")
    make_published_copy(media)
    media.refresh_from_db()

    published = Path(media.published_file.path)
    assert STORED_NAME.match(media.published_file.name) and published.suffix == ".mp4"
    tags = all_tags(published)
    assert not {"title", "artist", "comment", "location", "location-eng", "encoder"} & set(tags), tags
    data = published.read_bytes()
    for trace in (b"\xa9xyz", b"Sam", b"Ward 7", b"51.5074", b"Lavf"):
        assert trace not in data
    with av.open(str(published)) as container:  # still a playable video with sound
        assert {s.type for s in container.streams} == {"audio", "video"}
        assert container.duration / av.time_base == pytest.approx(2.0, abs=0.1)


def test_published_copy_of_tagged_ogg_is_clean(tmp_path):
    tone = media_factory.sine_tone(tmp_path / "tagged.ogg", stream_metadata=PERSONAL_TAGS)
    assert "artist" in all_tags(tone)
    media = store_upload(upload("tagged.ogg", tone), title="Tagged")
    make_published_copy(media)
    published = Path(media.published_file.path)
    assert published.suffix == ".ogg"
    assert all_tags(published) == {}
    assert b"Sam" not in published.read_bytes()


# Personal details at every level a file can hold them, each level with its own words to look for.
CONTAINER_TAGS = {"artist": "Sam Container", "comment": "Recorded on Ward 7", "location": "+51.5074-000.1278/"}
STREAM_TAGS = {"title": "Sam Stream", "comment": "Stream note Ward 8", "location": "+51.5075-000.1278/"}
IN_BAND_TAGS = {"ARTIST": "Sam In-band", "LOCATION": "+51.5076-000.1278/"}
MARKERS = ("Sam Container", "Ward 7", "51.5074", "Sam Stream", "Ward 8", "51.5075", "Sam In-band", "51.5076")
PCM_SUFFIXES = ("s16", "s24", "s32", "f32", "f64")


def _case(container_format, suffix, audio, video=None, expected=None):
    """One accepted container and codec pair; `expected` is what the intake calls them (container, audio, video)."""
    codec = {"libopus": "opus", "libmp3lame": "mp3", "libvpx": "vp8", "libvpx-vp9": "vp9", "libsvtav1": "av1"}
    codec |= {"libx264": "h264", "libx265": "hevc"}
    names = (codec.get(audio, audio), codec.get(video, video) if video else "")
    case_id = f"{container_format}-{'+'.join(n for n in names[::-1] if n)}"
    return pytest.param(container_format, suffix, audio, video, (expected or container_format, *names), id=case_id)


# Every container the intake accepts, with every codec it accepts in it (audio alone, and video with sound).
ACCEPTED_MEDIA = [
    *(_case("ogg", ".ogg", audio) for audio in ("libopus", "vorbis", "flac")),
    *(_case("ogg", ".ogv", "libopus" if i else "vorbis", "libvpx") for i in range(2)),
    *(_case("webm", ".webm", audio) for audio in ("libopus", "vorbis")),
    *(_case("webm", ".webm", a, v) for a in ("libopus", "vorbis") for v in ("libvpx", "libvpx-vp9", "libsvtav1")),
    *(_case("matroska", ".mka", audio) for audio in ("aac", "flac", "alac", "libmp3lame", "pcm_s16le", "pcm_f32le")),
    *(
        _case("matroska", ".mkv", a, v)
        for a, v in (("aac", "libx264"), ("aac", "libx265"), ("libmp3lame", "libsvtav1"))
    ),
    # Matroska holding only WebM's codecs is WebM to the intake.
    *(_case("matroska", ".mka", audio, expected="webm") for audio in ("libopus", "vorbis")),
    _case("matroska", ".mkv", "vorbis", "libvpx-vp9", expected="webm"),
    *(_case("mp4", ".m4a", audio) for audio in ("aac", "alac", "libmp3lame", "flac", "libopus")),
    *(_case("mp4", ".mp4", "aac", video) for video in ("libx264", "libx265", "libvpx-vp9", "libsvtav1")),
    *(_case("mov", ".mov", "aac", video, expected="mp4") for video in ("libx264", "libx265")),
    *(_case("mov", ".mov", f"pcm_{sample}be", expected="mp4") for sample in PCM_SUFFIXES),
    _case("mp3", ".mp3", "libmp3lame"),
    *(_case("wav", ".wav", f"pcm_{sample}le") for sample in PCM_SUFFIXES),
    *(_case("wav", ".wav", pcm) for pcm in ("pcm_u8", "pcm_alaw", "pcm_mulaw")),
    _case("flac", ".flac", "flac"),
]


@pytest.mark.parametrize(("container_format", "suffix", "audio", "video", "expected"), ACCEPTED_MEDIA)
def test_public_copy_keeps_no_tag_of_any_level(tmp_path, container_format, suffix, audio, video, expected):
    """Container tags, stream tags and in-band text (Vorbis comments in the codec headers, H.264 SEI user data) are
    all left out of the public copy, whatever the container and codecs of the upload."""
    source = media_factory.tagged_media(
        tmp_path / f"upload{suffix}",
        container_format=container_format,
        audio_codec=audio,
        video_codec=video,
        container_tags=CONTAINER_TAGS,
        stream_tags=STREAM_TAGS,
        in_band_tags=IN_BAND_TAGS,
    )
    original = source.read_bytes()
    assert b"Sam Container" in original or b"Sam Stream" in original  # the upload really is tagged
    if expected[1] == "vorbis" and container_format != "ogg" or expected[2] == "h264":
        assert b"Sam In-band" in original  # and carries text in the codec data itself
    probed = probe(source)
    assert (probed.container, probed.audio_codec, probed.video_codec) == expected

    media = store_upload(upload(source.name, source), title="Tagged")
    make_published_copy(media)
    published = Path(media.published_file.path)
    copy = published.read_bytes()
    assert [marker for marker in MARKERS if marker.encode() in copy] == []
    assert not set(MARKERS) & {value for value in all_tags(published).values()}
    with av.open(str(published)) as container:  # still what was sent: sound, and pictures if there were any
        assert {stream.type for stream in container.streams} == {"audio", "video"} if video else {"audio"}


def test_phone_hevc_video_is_published_as_h264(tmp_path):
    clip = media_factory.video_with_audio(tmp_path / "iphone.mov", video_codec="libx265", size=(160, 120))
    media = store_upload(upload("iphone.mov", clip), title="HEVC")
    assert media.video_codec == "hevc"
    make_published_copy(media)
    with av.open(media.published_file.path) as container:
        codecs = {s.type: s.codec_context.codec.canonical_name for s in container.streams}
        assert codecs == {"video": "h264", "audio": "aac"}
        assert sum(1 for _ in container.decode(video=0)) == 50


def test_publishing_ignores_caps_lowered_after_intake(tmp_path):
    media = store_upload(upload("t.ogg", media_factory.sine_tone(tmp_path / "t.ogg", seconds=3)), title="Earlier")
    with override_settings(VOICEBOX_MAX_MEDIA_SECONDS=1, VOICEBOX_MAX_UPLOAD_BYTES=100):
        make_published_copy(media)
    assert Path(media.published_file.path).stat().st_size > 100


def test_republishing_replaces_the_previous_copy(tmp_path):
    media = store_upload(upload("t.ogg", media_factory.sine_tone(tmp_path / "t.ogg")), title="Twice")
    make_published_copy(media)
    first = Path(media.published_file.path)
    make_published_copy(media, silence=[(0.5, 1.0)])
    assert not first.exists()
    assert Path(media.published_file.path).exists()


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("tone.ogg", lambda p: media_factory.sine_tone(p, seconds=3)),
        ("tone.m4a", lambda p: media_factory.sine_tone(p, seconds=3, codec="aac", container_format="mp4")),
        (
            "clip.webm",
            lambda p: media_factory.video_with_audio(p, seconds=3, video_codec="libvpx", audio_codec="libopus"),
        ),
    ],
)
def test_silenced_ranges_are_muted_and_the_rest_is_not(tmp_path, name, make):
    media = store_upload(upload(name, make(tmp_path / name)), title="Redacted")
    make_published_copy(media, silence=[(1.0, 2.0)])

    samples, rate = media_factory.decode_mono(Path(media.published_file.path))

    def level(start: float, end: float) -> float:
        return media_factory.rms(samples[int(start * rate) : int(end * rate)])

    assert level(1.05, 1.95) < 0.001  # the redacted passage: silence
    assert level(0.2, 0.9) > 0.1  # the tone before it
    assert level(2.1, 2.8) > 0.1  # and after it
    assert len(samples) / rate == pytest.approx(3.0, abs=0.1)


# --- A real browser recording -------------------------------------------------------------------------------------

RECORD_SCRIPT = """async ([mimeType, milliseconds]) => {
    const stream = await navigator.mediaDevices.getUserMedia({audio: true, video: mimeType.startsWith("video/")});
    const recorder = new MediaRecorder(stream, {mimeType});
    const chunks = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
    recorder.start(250);
    await new Promise((resolve) => setTimeout(resolve, milliseconds));
    recorder.stop();
    await stopped;
    const reader = new FileReader();
    const loaded = new Promise((resolve) => { reader.onload = resolve; });
    reader.readAsDataURL(new Blob(chunks, {type: mimeType}));
    await loaded;
    return reader.result.slice(reader.result.indexOf(";base64,") + 8);
}"""


def record_in_chromium(target: Path, mime_type: str, seconds: float) -> Path:
    """Record from Chromium's synthetic microphone (and camera) with MediaRecorder, as a contributor's browser would."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(permissions=["microphone", "camera"])
        page = context.new_page()
        # http://localhost is a secure context (getUserMedia needs one); the page is served by Playwright itself.
        page.route("http://localhost/", lambda route: route.fulfill(body="<!doctype html><title>r</title>"))
        page.goto("http://localhost/")
        encoded = page.evaluate(RECORD_SCRIPT, [mime_type, int(seconds * 1000)])
        browser.close()
    target.write_bytes(base64.b64decode(encoded))
    return target


@pytest.mark.browser
@pytest.mark.parametrize(
    ("mime_type", "kind", "codecs"),
    [("audio/webm;codecs=opus", "audio", ("opus", "")), ("video/webm;codecs=vp8,opus", "video", ("opus", "vp8"))],
)
def test_chromium_mediarecorder_recording_is_remuxed_to_seek(tmp_path, mime_type, kind, codecs):
    require_service_in_ci(CHROMIUM.exists(), "Chromium at /usr/bin/chromium")
    recording = record_in_chromium(tmp_path / "recording.webm", mime_type, seconds=3)
    with av.open(str(recording)) as container:
        assert container.duration is None  # Chromium's MediaRecorder writes no duration (WontFix)
    assert not media_factory.has_matroska_cues(recording)

    media = store_upload(upload("blob", recording), title="Recorded in Chromium")

    assert (media.type, media.container, media.audio_codec, media.video_codec) == (kind, "webm", *codecs)
    assert media.duration == pytest.approx(3.0, abs=0.5)
    stored = Path(media.file.path)
    assert media_factory.has_matroska_cues(stored)
    with av.open(str(stored)) as container:
        assert container.duration / av.time_base == pytest.approx(media.duration, abs=0.1)
        # Seek on the audio: the fake camera's VP8 has one keyframe, so a video seek rightly lands at 0.
        audio = container.streams.audio[0]
        container.seek(int(1.5 / audio.time_base), stream=audio)
        frame = next(container.decode(audio))
        assert float(frame.pts * frame.time_base) == pytest.approx(1.5, abs=0.15)
