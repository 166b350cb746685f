"""The published copy of a story's media: web-safe, free of metadata, with redacted moments silenced.

Publication calls `write_published_copy(media)` in a background task, outside any database transaction, and points
the media at the copy when it publishes; when moderators redact a spoken passage it passes the passage's times as
`silence`. The original stays private; the copy is the only file the public views ever serve.

The copy is written by a fresh muxer that is given no metadata at all (no title, artist, location, `©xyz` GPS, or
encoder tags: `bitexact` stops FFmpeg adding its own), carrying only the chosen audio and video streams, so chapters,
subtitles, cover art and data tracks of the original are left behind. Text can also ride inside a codec's own data,
where no muxer sees it: Vorbis keeps its comments (ARTIST=, LOCATION=) in the codec headers a WebM carries whole, so
Vorbis is re-encoded; H.264 keeps SEI messages (a camera's notes, an encoder's settings) among the pictures, so they
are filtered out of every H.264 packet on its way into the copy.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from av.bitstream import BitStreamFilterContext
from django.core.files import File
from django.db.models.fields.files import FieldFile

from .media_intake import MediaRejected, codec_name, open_media, probe, selected_streams
from .models import StoryMedia
from .work_files import work_dir, work_file

AUDIO_BITRATE = 128_000
VIDEO_CRF = "23"


@dataclass(frozen=True)
class PublishedFormat:
    container_format: str  # the FFmpeg muxer
    extension: str
    content_type: str
    audio_encoder: str | None  # None: copy the packets as they are
    video_encoder: str | None  # None: copy (or no video)


# The published copy's extension is the whole truth about its type: the public view maps it back to a content type.
PUBLISHED_CONTENT_TYPES = {".ogg": "audio/ogg", ".m4a": "audio/mp4", ".mp4": "video/mp4", ".webm": "video/webm"}
_MUXER_OPTIONS = {
    "ogg": {"fflags": "+bitexact"},
    "mp4": {"fflags": "+bitexact", "movflags": "+faststart"},
    "webm": {"fflags": "+bitexact"},
}
# FFmpeg bitstream filters taking out the text a codec carries among its own data: SEI messages are H.264's NAL
# unit type 6. (Opus, VP8 and VP9 carry none; AAC's fill elements are left: no filter reads them.)
_IN_BAND_TEXT_FILTERS = {"h264": "filter_units=remove_types=6"}


def published_format(kind: str, audio_codec: str, video_codec: str, *, reencode_audio: bool) -> PublishedFormat:
    """Keep what browsers play as it is; re-encode the rest. Audio: Opus in Ogg, or AAC in MP4. Video: H.264/AAC
    in MP4, or VP8/VP9 with Opus in WebM; any other video codec (HEVC from phones, AV1) becomes H.264. Vorbis is
    re-encoded to Opus: its headers hold free-text comments."""
    if kind == "audio":
        if audio_codec == "opus":
            return _format("ogg", ".ogg", None if not reencode_audio else "libopus", None)
        return _format("mp4", ".m4a", None if audio_codec == "aac" and not reencode_audio else "aac", None)
    if video_codec in ("vp8", "vp9"):
        keep_audio = audio_codec == "opus" and not reencode_audio
        return _format("webm", ".webm", None if keep_audio else "libopus", None)
    keep_audio = audio_codec == "aac" and not reencode_audio
    return _format("mp4", ".mp4", None if keep_audio else "aac", None if video_codec == "h264" else "libx264")


def _format(container_format, extension, audio_encoder, video_encoder) -> PublishedFormat:
    return PublishedFormat(
        container_format, extension, PUBLISHED_CONTENT_TYPES[extension], audio_encoder, video_encoder
    )


@contextmanager
def local_path(field: FieldFile) -> Iterator[Path]:
    """A stored file as a local path: the file itself on local disk, or a streamed temporary copy from S3."""
    try:
        yield Path(field.storage.path(field.name))
        return
    except NotImplementedError:
        pass
    with work_file(".media") as copy:
        with field.storage.open(field.name, "rb") as stored:
            for chunk in iter(lambda: stored.read(1024 * 1024), b""):
                copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def write_published_copy(
    media: StoryMedia, silence: Sequence[tuple[float, float]] = (), *, audio_only: bool = False
) -> str:
    """Write the metadata-free, web-safe copy of `media` to storage under a new name, and return that name.

    The media row is not changed: the caller points `published_file` at the copy when it publishes, so the long
    encode needs no database transaction. `silence` lists (start, end) times in seconds from the start of the audio
    (the transcript's timeline) to mute; giving any means the audio is re-encoded. Raises MediaRejected if the
    original isn't media we can read (a file put in through the admin skips intake, so it is checked here too).
    `audio_only` leaves any video out: moderation's preview of redactions is listened to, not watched.
    """
    with local_path(media.file) as source:
        probed = probe(source, enforce_caps=False)  # accepted already: a cap lowered since must not strand it
        target_format = published_format(
            "audio" if audio_only else probed.kind, probed.audio_codec, probed.video_codec, reencode_audio=bool(silence)
        )
        with work_dir() as workdir:
            target = Path(workdir) / f"published{target_format.extension}"
            _write_copy(source, target, target_format, silence, audio_only=audio_only)
            field = media.published_file
            with target.open("rb") as content:
                return field.storage.save(
                    field.field.generate_filename(media, target.name), File(content), max_length=field.field.max_length
                )


def make_published_copy(media: StoryMedia, silence: Sequence[tuple[float, float]] = ()) -> None:
    """Write the published copy and point `media.published_file` at it at once, replacing any earlier copy (for
    media published outside a story's governance, such as the demo's)."""
    previous = media.published_file.name
    media.published_file.name = write_published_copy(media, silence)
    media.save(update_fields=["published_file"])
    if previous:
        media.published_file.storage.delete(previous)


def _write_copy(
    source: Path, target: Path, fmt: PublishedFormat, silence: Sequence[tuple[float, float]], *, audio_only: bool
) -> None:
    with (
        open_media(source) as inp,
        av.open(str(target), "w", format=fmt.container_format, options=_MUXER_OPTIONS[fmt.container_format]) as out,
    ):
        audio_in, video_in = selected_streams(inp)
        if audio_only:
            video_in = None
        writers = {audio_in.index: _audio_writer(out, audio_in, fmt.audio_encoder, silence)}
        if video_in is not None:
            writers[video_in.index] = _video_writer(out, video_in, fmt.video_encoder)
        muxer = _TextFreeMuxer(out)
        for packet in inp.demux([s for s in (audio_in, video_in) if s is not None]):
            muxer.mux(writers[packet.stream.index].write(packet))
        for writer in writers.values():
            muxer.mux(writer.finish())
        muxer.flush()


class _TextFreeMuxer:
    """Muxes the copy's packets, first filtering out the text their codec carries in band (H.264 SEI messages)."""

    def __init__(self, out):
        out.start_encoding()  # opens the encoders: each stream's parameters are final, as its filter needs them
        self.out = out
        self.filters = {
            stream.index: BitStreamFilterContext(_IN_BAND_TEXT_FILTERS[codec_name(stream)], in_stream=stream)
            for stream in out.streams
            if codec_name(stream) in _IN_BAND_TEXT_FILTERS
        }

    def mux(self, packets: Iterable[av.Packet]) -> None:
        for packet in packets:
            self._mux_filtered(packet.stream, packet)

    def flush(self) -> None:
        for index in self.filters:
            self._mux_filtered(self.out.streams[index], None)

    def _mux_filtered(self, stream, packet: av.Packet | None) -> None:
        text_filter = self.filters.get(stream.index)
        for clean in text_filter.filter(packet) if text_filter else [packet]:
            clean.stream = stream
            self.out.mux(clean)


class _PacketCopier:
    """Moves packets into the output untouched: no re-encoding, so nothing is lost."""

    def __init__(self, out, template):
        self.stream = out.add_stream_from_template(template, opaque=True)

    def write(self, packet) -> list[av.Packet]:
        if packet.dts is None and packet.pts is None:
            return []  # end-of-stream marker
        packet.stream = self.stream
        return [packet]

    def finish(self) -> list[av.Packet]:
        return []


class _AudioReencoder:
    """Decodes, mutes the given time ranges sample-exactly, and encodes to a web-safe codec."""

    def __init__(self, out, source, encoder: str, silence: Sequence[tuple[float, float]]):
        self.rate = 48_000  # Opus only runs at 48 kHz; AAC is happy with it too
        layout = "mono" if source.codec_context.channels == 1 else "stereo"
        self.stream = out.add_stream(encoder, rate=self.rate, layout=layout)
        self.stream.bit_rate = AUDIO_BITRATE
        self.decoder = source.codec_context
        self.resampler = av.AudioResampler(format="fltp", layout=layout, rate=self.rate)
        self.mute = sorted((round(start * self.rate), round(end * self.rate)) for start, end in silence if end > start)
        self.position = 0  # samples written so far: the timeline the transcript's times are on

    def write(self, packet) -> list[av.Packet]:
        # The demuxer's end-of-stream packet flushes the decoder, so its last frames arrive here too.
        return [
            encoded for frame in self.decoder.decode(packet) for encoded in self._encode(self.resampler.resample(frame))
        ]

    def finish(self) -> list[av.Packet]:
        return [*self._encode(self.resampler.resample(None)), *self.stream.encode(None)]

    def _encode(self, frames) -> list[av.Packet]:
        return [packet for frame in frames for packet in self.stream.encode(self._muted(frame))]

    def _muted(self, frame: av.AudioFrame) -> av.AudioFrame:
        start, end = self.position, self.position + frame.samples
        self.position = end
        ranges = [(max(a, start) - start, min(b, end) - start) for a, b in self.mute if a < end and b > start]
        if ranges:
            samples = frame.to_ndarray()
            for low, high in ranges:
                samples[:, low:high] = 0.0
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout=frame.layout.name)
            frame.sample_rate = self.rate
        frame.pts = start
        frame.time_base = Fraction(1, self.rate)
        return frame


class _VideoReencoder:
    """Re-encodes video browsers may not play (HEVC, AV1) to H.264, keeping size and frame timing."""

    def __init__(self, out, source, encoder: str):
        self.decoder = source.codec_context
        self.stream = out.add_stream(
            encoder, rate=source.average_rate or 25, options={"crf": VIDEO_CRF, "preset": "veryfast"}
        )
        # H.264 in 4:2:0 needs even dimensions.
        self.stream.width = source.codec_context.width // 2 * 2
        self.stream.height = source.codec_context.height // 2 * 2
        self.stream.pix_fmt = "yuv420p"
        self.stream.time_base = source.time_base
        self.stream.codec_context.time_base = source.time_base

    def write(self, packet) -> list[av.Packet]:
        # The demuxer's end-of-stream packet flushes the decoder, so its last frames arrive here too.
        try:
            frames = self.decoder.decode(packet)
        except av.FFmpegError as error:  # damaged pictures, or one past MAX_VIDEO_PIXELS: this copy fails, only it
            raise MediaRejected.unreadable() from error
        return [encoded for frame in frames for encoded in self._encode(frame)]

    def finish(self) -> list[av.Packet]:
        return self.stream.encode(None)

    def _encode(self, frame) -> list[av.Packet]:
        pts = frame.pts
        frame = frame.reformat(width=self.stream.width, height=self.stream.height, format="yuv420p")
        frame.pts = pts
        return self.stream.encode(frame)


def _audio_writer(out, source, encoder, silence):
    return _PacketCopier(out, source) if encoder is None else _AudioReencoder(out, source, encoder, silence)


def _video_writer(out, source, encoder):
    return _PacketCopier(out, source) if encoder is None else _VideoReencoder(out, source, encoder)
