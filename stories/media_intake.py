"""Media intake: decide by content whether an upload is audio or video we accept, and store it privately.

The file name and the browser's Content-Type are never consulted. puremagic is a cheap first gate (a file it
recognises as an image, a web page or a document never reaches FFmpeg); PyAV is the authority, restricted to the
allow-listed demuxers and decoders and to the `file` protocol, so a crafted file cannot make FFmpeg read another
file or the network (playlists, `concat:`, `data:`).

Interface (the share flow codes against it):

    probe(path) -> ProbedMedia                                  # raises MediaRejected
    store_upload(upload, *, title) -> StoryMedia                # probe, remux if needed, save privately
"""

import logging
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import av
import puremagic
from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile

from .models import StoryMedia
from .work_files import work_dir, work_file

logger = logging.getLogger(__name__)

# Our name for each allow-listed FFmpeg demuxer (FFmpeg names a demuxer by all the formats it reads).
DEMUXERS = {
    "ogg": "ogg",
    "matroska,webm": "matroska",
    "mov,mp4,m4a,3gp,3g2,mj2": "mp4",
    "mp3": "mp3",
    "wav": "wav",
    "flac": "flac",
}
PCM_ORDERED = {f"pcm_{sample}{order}" for sample in ("s16", "s24", "s32", "f32", "f64") for order in ("le", "be")}
PCM_CODECS = PCM_ORDERED | {"pcm_u8", "pcm_alaw", "pcm_mulaw"}
AUDIO_CODECS = {"opus", "vorbis", "aac", "mp3", "flac", "alac"} | PCM_CODECS
VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1"}
WEBM_CODECS = {"opus", "vorbis", "vp8", "vp9", "av1"}
# Decoder names FFmpeg may open while reading stream parameters; the library decoders are FFmpeg's preferred ones for
# some codecs. Anything else (a crafted stream in an exotic codec) is never decoded.
DECODERS = AUDIO_CODECS | VIDEO_CODECS | {"mp3float", "libopus", "libvpx", "libvpx-vp9", "libdav1d"}

# (content type, extension) for audio-only and for video, per container.
CONTENT_TYPES = {
    "ogg": (("audio/ogg", ".ogg"), ("video/ogg", ".ogv")),
    "webm": (("audio/webm", ".webm"), ("video/webm", ".webm")),
    "matroska": (("audio/x-matroska", ".mka"), ("video/x-matroska", ".mkv")),
    "mp4": (("audio/mp4", ".m4a"), ("video/mp4", ".mp4")),
    "mp3": (("audio/mpeg", ".mp3"), None),
    "wav": (("audio/wav", ".wav"), None),
    "flac": (("audio/flac", ".flac"), None),
}
# Containers whose header states the length exactly: a file much shorter than its header says was cut off.
HEADER_DURATION_CONTAINERS = {"mp4", "webm", "matroska", "flac"}
# What puremagic calls our containers when it gives an extension but no audio/video type.
MAGIC_MEDIA_EXTENSIONS = {".ogg", ".oga", ".opus", ".webm", ".mkv", ".mka", ".mp4", ".m4a", ".mov", ".3gp", ".mp3"}
# How much of the start of the audio is decoded to prove the codec data is real, not just a plausible header.
DECODE_CHECK_FRAMES = 50
# The largest picture we take (DCI 4K, either way up): a phone's 4K video fits. FFmpeg's decoders are told it too
# (`max_pixels`), so a stream that grows mid-way past its header's size fails to decode instead of taking the
# worker's memory: a 16384x16384 picture alone is 400 MB, and a decoder keeps several.
MAX_VIDEO_PIXELS = 4096 * 2304

_OPEN_OPTIONS = {
    "protocol_whitelist": "file",
    "format_whitelist": ",".join(DEMUXERS),
    "codec_whitelist": ",".join(sorted(DECODERS)),
}

_STILL_HERE = "Everything you typed is still here."


class MediaRejected(Exception):
    """An upload we won't take. `kind` is for code and tests; `message` is a kind sentence for the contributor."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_MEDIA = "not_media"
    UNREADABLE = "unreadable"
    UNSUPPORTED = "unsupported"
    NO_AUDIO = "no_audio"
    TOO_LONG = "too_long"
    PICTURE_TOO_LARGE = "picture_too_large"
    SEVERAL = "several"

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message

    @classmethod
    def empty(cls):
        return cls(
            cls.EMPTY,
            "This file is empty, so there was nothing for us to listen to. Please choose the file again, or record "
            f"in the browser instead. {_STILL_HERE}",
        )

    @classmethod
    def too_large(cls):
        return cls(
            cls.TOO_LARGE,
            f"This file is bigger than {_spoken_size(settings.VOICEBOX_MAX_UPLOAD_BYTES)}, which is the most we can "
            "take. You could send a shorter "
            f"recording, or record in the browser instead. {_STILL_HERE}",
        )

    @classmethod
    def not_media(cls):
        return cls(
            cls.NOT_MEDIA,
            "This file doesn't seem to be a sound or video recording, so we can't use it. You could choose a "
            f"different file, or record in the browser instead. {_STILL_HERE}",
        )

    @classmethod
    def unreadable(cls):
        return cls(
            cls.UNREADABLE,
            "We couldn't read this file as audio or video. It may be damaged or in a format we don't accept — you "
            f"could try recording in the browser instead. {_STILL_HERE}",
        )

    @classmethod
    def unsupported(cls):
        return cls(
            cls.UNSUPPORTED,
            "We can't use recordings in this format. Common formats such as MP3, M4A, MP4, WebM and OGG all work "
            f"— or you could record in the browser instead. {_STILL_HERE}",
        )

    @classmethod
    def no_audio(cls):
        return cls(
            cls.NO_AUDIO,
            "This file has no sound track, so there's nothing for us to listen to. You could choose a different "
            f"file, or record in the browser instead. {_STILL_HERE}",
        )

    @classmethod
    def too_long(cls):
        return cls(
            cls.TOO_LONG,
            f"This recording is longer than {_spoken_length(settings.VOICEBOX_MAX_MEDIA_SECONDS)}, which is the "
            "longest we can take. You could trim it, or "
            f"record a shorter version in the browser. {_STILL_HERE}",
        )

    @classmethod
    def picture_too_large(cls):
        return cls(
            cls.PICTURE_TOO_LARGE,
            "This video's picture is bigger than we can take (4K is the most). Most phones can record at a smaller "
            f"size in their camera settings — or you could record in the browser instead. {_STILL_HERE}",
        )

    @classmethod
    def several(cls):
        # Only a crafted request sends this: the form's file field takes one file. Every one of them is refused,
        # rather than checking one and keeping another (CVE-2023-31047).
        return cls(cls.SEVERAL, f"Please choose just one file: a story has one recording. {_STILL_HERE}")


def _spoken_size(size: int) -> str:
    megabytes = size // (1024 * 1024)
    return f"{megabytes} MB" if megabytes else f"{size // 1024} KB"


def _spoken_length(seconds: int) -> str:
    """60 -> "1 minute", 3600 -> "60 minutes", 90 -> "90 seconds"."""
    count, unit = (seconds // 60, "minute") if seconds >= 60 and seconds % 60 == 0 else (seconds, "second")
    return f"{count} {unit}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class ProbedMedia:
    kind: str  # "audio" | "video"
    container: str  # a key of CONTENT_TYPES
    audio_codec: str
    video_codec: str  # "" for audio
    duration: float  # seconds, measured from the packets (not the header's claim)
    content_type: str
    extension: str
    width: int | None
    height: int | None
    # Without a duration in its header (MediaRecorder's WebM), or without an index, a browser can't seek the file.
    needs_remux: bool


@contextmanager
def open_media(path: Path) -> Iterator[av.container.InputContainer]:
    """Open a local file with FFmpeg restricted to our demuxers, decoders and the `file` protocol."""
    with av.open(str(Path(path).resolve()), mode="r", options=_OPEN_OPTIONS, metadata_errors="replace") as container:
        if container.format.name not in DEMUXERS:  # belt and braces: FFmpeg already refused other demuxers
            raise MediaRejected.unsupported()
        for stream in container.streams.video:
            stream.codec_context.options = {"max_pixels": str(MAX_VIDEO_PIXELS)}  # read when the decoder opens
        yield container


def selected_streams(container) -> tuple[av.audio.stream.AudioStream | None, av.video.stream.VideoStream | None]:
    """The best audio stream and the best real video stream (cover art is a picture, not a video)."""
    moving = [s for s in container.streams.video if not s.disposition & av.stream.Disposition.attached_pic]
    best_video = container.streams.best("video")
    video = best_video if best_video in moving else next(iter(moving), None)
    return container.streams.best("audio"), video


def probe(path: Path, *, enforce_caps: bool = True) -> ProbedMedia:
    """Check a local file by its content and describe it, or raise MediaRejected with a message for the person.

    `enforce_caps=False` is for files already accepted (publishing them), so lowering a cap later strands nothing.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise MediaRejected.empty()
    if enforce_caps and size > settings.VOICEBOX_MAX_UPLOAD_BYTES:
        raise MediaRejected.too_large()
    _check_magic(path)
    try:
        with open_media(path) as container:
            probed = _inspect(container, max_seconds=settings.VOICEBOX_MAX_MEDIA_SECONDS if enforce_caps else None)
    except av.FFmpegError as error:
        # FFmpeg's messages carry the path; the kind of error is enough to diagnose.
        logger.info("Media probe refused a file: %s", type(error).__name__)
        raise MediaRejected.unreadable() from None
    if probed.container == "mp4" and not probed.needs_remux and _is_fragmented_mp4(path):
        probed = replace(probed, needs_remux=True)
    return probed


def _is_fragmented_mp4(path: Path) -> bool:
    """Safari's MediaRecorder writes fragmented MP4 (`moof` boxes, no sample index up front): remux it too.

    Walks the top-level boxes by their headers only; a plain MP4 has a handful of them.
    """
    with path.open("rb") as file:
        while len(header := file.read(8)) == 8:
            size, box = struct.unpack(">I4s", header)
            if box == b"moof":
                return True
            if size == 1:  # a 64-bit size follows the header
                size = struct.unpack(">Q", file.read(8))[0] - 8
            if size < 8:  # 0 runs to the end of the file; anything else below 8 is damage
                return False
            file.seek(size - 8, 1)
    return False


def _check_magic(path: Path) -> None:
    """Refuse at once what puremagic recognises as something other than audio or video (a page, an image...)."""
    try:
        matches = puremagic.magic_file(str(path))
    except puremagic.PureError:
        matches = []
    if not matches:
        return  # unrecognised (for example an MP3 without tags at a low bitrate): FFmpeg decides
    if any(
        match.mime_type.startswith(("audio/", "video/"))
        or match.mime_type in ("application/ogg", "application/x-matroska")
        or match.extension in MAGIC_MEDIA_EXTENSIONS
        for match in matches
    ):
        return
    raise MediaRejected.not_media()


def codec_name(stream) -> str:
    # No codec context means FFmpeg has no decoder for it: certainly not on our list.
    return stream.codec_context.codec.canonical_name if stream and stream.codec_context else ""


def _inspect(container, max_seconds: float | None) -> ProbedMedia:
    audio, video = selected_streams(container)
    if audio is None:
        raise MediaRejected.no_audio()
    audio_codec, video_codec = codec_name(audio), codec_name(video)
    if audio_codec not in AUDIO_CODECS or (video and video_codec not in VIDEO_CODECS):
        raise MediaRejected.unsupported()

    container_name = DEMUXERS[container.format.name]
    if container_name == "matroska" and {audio_codec, video_codec or "opus"} <= WEBM_CODECS:
        container_name = "webm"
    audio_type, video_type = CONTENT_TYPES[container_name]
    if video and video_type is None:
        raise MediaRejected.unsupported()
    content_type, extension = video_type if video else audio_type

    declared = container.duration / av.time_base if container.duration else None
    if max_seconds is not None and declared and declared > max_seconds + 1:
        raise MediaRejected.too_long()
    measured = _measure_and_decode(container, audio, max_seconds)
    if declared and container_name in HEADER_DURATION_CONTAINERS and declared - measured > max(1.0, declared * 0.05):
        raise MediaRejected.unreadable()  # the header promises more than the file holds: it was cut off

    width = video.codec_context.width if video else None
    height = video.codec_context.height if video else None
    if video and not (width and height):
        raise MediaRejected.unreadable()
    if video and width * height > MAX_VIDEO_PIXELS:
        raise MediaRejected.picture_too_large()
    return ProbedMedia(
        kind="video" if video else "audio",
        container=container_name,
        audio_codec=audio_codec,
        video_codec=video_codec,
        duration=round(measured, 3),
        content_type=content_type,
        extension=extension,
        width=width,
        height=height,
        needs_remux=declared is None or container_name in ("webm", "matroska"),
    )


def _measure_and_decode(container, audio, max_seconds: float | None) -> float:
    """The audio's real length from its packets (headers can lie or be missing); decode the start to prove it's real.

    Reads packets only (no decoding past the start), so an hour of audio costs a pass over the file, not a decode.
    Timestamps stay integers in the stream's time base inside the loop: an hour is ~180,000 packets.
    """
    time_base = audio.time_base
    cap_ticks = (max_seconds + 1) / time_base if max_seconds is not None else float("inf")
    first = end = None
    frames = 0
    for packet in container.demux(audio):
        pts = packet.pts
        if pts is None:
            continue  # the demuxer's end-of-stream marker
        if first is None or pts < first:
            first = pts
        stop = pts + (packet.duration or 0)
        if end is None or stop > end:
            end = stop
        if end - first > cap_ticks:
            raise MediaRejected.too_long()
        if frames < DECODE_CHECK_FRAMES:
            frames += len(audio.codec_context.decode(packet))
    if first is None or frames == 0 or end <= first:
        raise MediaRejected.unreadable()
    return float((end - first) * time_base)


def remux(source: Path, target: Path, container_format: str) -> None:
    """Copy the chosen audio (and video) packets into a fresh container: no re-encoding, so no quality lost.

    The muxer writes what MediaRecorder leaves out: the duration, and an index (Cues) a browser needs to seek.
    """
    options = {"movflags": "+faststart"} if container_format == "mp4" else {}
    with open_media(source) as inp, av.open(str(target), "w", format=container_format, options=options) as out:
        streams = [s for s in selected_streams(inp) if s is not None]
        outputs = {s.index: out.add_stream_from_template(s, opaque=True) for s in streams}
        for packet in inp.demux(streams):
            if packet.dts is None and packet.pts is None:
                continue
            packet.stream = outputs[packet.stream.index]
            out.mux(packet)


@contextmanager
def _local_upload(upload: UploadedFile) -> Iterator[Path]:
    """The upload as a file on disk: the temporary file it already streamed to, or a copy made chunk by chunk."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with work_file(".upload") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def store_upload(upload: UploadedFile, *, title: str) -> StoryMedia:
    """Probe an upload, remux it if a browser couldn't seek it, and save it privately under a random name.

    The uploaded file's own name is never used: it can hold `../`, control characters or right-to-left overrides.
    """
    if upload.size is not None and upload.size > settings.VOICEBOX_MAX_UPLOAD_BYTES:
        raise MediaRejected.too_large()
    with _local_upload(upload) as path, work_dir() as workdir:
        probed = probe(path)
        if probed.needs_remux:
            remuxed = Path(workdir) / f"remuxed{probed.extension}"
            remux(path, remuxed, probed.container)  # our container names are FFmpeg's muxer names
            path, probed = remuxed, replace(probed, needs_remux=False)  # same packets: the probe still holds
        media = StoryMedia(
            title=title[:255],
            type=probed.kind,
            duration=probed.duration,
            width=probed.width,
            height=probed.height,
            container=probed.container,
            audio_codec=probed.audio_codec,
            video_codec=probed.video_codec,
            content_type=probed.content_type,
        )
        with path.open("rb") as content:
            media.file.save(f"upload{probed.extension}", File(content), save=False)
    try:
        media.save()
    except Exception:
        media.file.storage.delete(media.file.name)  # no orphaned private file when the row can't be written
        raise
    return media
