"""Audio and video test files made with PyAV: tones, silence, video with sound, browser-style WebM, damaged files.

Every helper writes real, decodable media (no canned bytes), so the intake is tested against what FFmpeg really
produces. Durations are short to keep the suite fast on two cores.
"""

import io
import struct
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.bitstream import BitStreamFilterContext

SAMPLE_RATE = 48_000
FRAME_SAMPLES = 960  # 20 ms at 48 kHz


def _tone_frames(seconds: float, frequency: float, amplitude: float, rate: int = SAMPLE_RATE, layout: str = "mono"):
    """Float frames of a sine tone (or silence when amplitude is 0), with running timestamps."""
    total = round(seconds * rate)
    channels = 2 if layout == "stereo" else 1
    for start in range(0, total, FRAME_SAMPLES):
        count = min(FRAME_SAMPLES, total - start)
        t = (np.arange(start, start + count) / rate).astype(np.float32)
        samples = np.tile((amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32), (channels, 1))
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout=layout)
        frame.sample_rate = rate
        frame.pts = start
        frame.time_base = Fraction(1, rate)
        yield frame


def _encode_all(container, stream, frames) -> None:
    for frame in frames:
        container.mux(stream.encode(frame))
    container.mux(stream.encode(None))


def write_audio(
    path: Path,
    *,
    seconds: float = 3.0,
    frequency: float = 440.0,
    amplitude: float = 0.5,
    container_format: str | None = None,
    codec: str = "libopus",
    metadata: dict[str, str] | None = None,
    stream_metadata: dict[str, str] | None = None,
    options: dict[str, str] | None = None,
) -> Path:
    """An audio file of a sine tone (silence when amplitude=0). The format follows the suffix unless given."""
    with av.open(str(path), "w", format=container_format, options=options or {}) as container:
        container.metadata.update(metadata or {})
        stream = container.add_stream(codec, rate=SAMPLE_RATE, layout="mono")
        stream.metadata.update(stream_metadata or {})
        _encode_all(container, stream, _tone_frames(seconds, frequency, amplitude))
    return path


def sine_tone(path: Path, seconds: float = 3.0, **kwargs) -> Path:
    return write_audio(path, seconds=seconds, **kwargs)


def silent_audio(path: Path, seconds: float = 3.0, **kwargs) -> Path:
    return write_audio(path, seconds=seconds, amplitude=0.0, **kwargs)


def video_with_audio(
    path: Path,
    *,
    seconds: float = 2.0,
    video_codec: str = "libx264",
    audio_codec: str = "aac",
    size: tuple[int, int] = (160, 120),
    fps: int = 25,
    container_format: str | None = None,
    metadata: dict[str, str] | None = None,
    options: dict[str, str] | None = None,
) -> Path:
    """A small moving-colour video with a tone on its audio track."""
    width, height = size
    with av.open(str(path), "w", format=container_format, options=options or {}) as container:
        container.metadata.update(metadata or {})
        video = container.add_stream(video_codec, rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream(audio_codec, rate=SAMPLE_RATE, layout="mono")
        for index in range(round(seconds * fps)):
            pixels = np.zeros((height, width, 3), dtype=np.uint8)
            pixels[:, :, 0] = (index * 10) % 256
            pixels[:, : width // 2, 1] = 200
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        _encode_all(container, audio, _tone_frames(seconds, 330.0, 0.5))
    return path


def resolution_change(path: Path, *, video_codec: str, sizes=((320, 240), (640, 480)), fps: int = 25) -> Path:
    """A video whose picture changes size mid-stream, as a crafted file does: each size is encoded on its own (a new
    keyframe with its own headers in band), and the packets are joined in one stream that declares the first size.
    One second per size, with a tone on its audio track, in Matroska."""
    parts = []
    for number, (width, height) in enumerate(sizes):
        encoder = av.CodecContext.create(video_codec, "w")
        encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuv420p"
        encoder.time_base, encoder.framerate = Fraction(1, fps), fps
        if video_codec == "libx265":
            encoder.options = {"x265-params": "repeat-headers=1:log-level=none"}  # parameter sets in every keyframe
        elif video_codec == "libvpx":
            encoder.options = {"deadline": "realtime", "cpu-used": "8"}  # the test takes 4 s, not 10
        packets = []
        for index in range(fps):
            pixels = np.zeros((height, width, 3), dtype=np.uint8)
            pixels[:, : width // 2, 1] = 200
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24").reformat(format="yuv420p")
            frame.pts = index
            packets += encoder.encode(frame)
        packets += encoder.encode(None)
        for packet in packets:
            packet.pts += number * fps
            packet.dts = (packet.dts or 0) + number * fps
        parts.append((encoder, packets))
    with av.open(str(path), "w", format="matroska") as container:
        first_encoder = parts[0][0]
        video = container.add_stream(first_encoder.name, rate=fps)
        video.width, video.height = sizes[0]
        video.time_base = Fraction(1, fps)
        video.codec_context.extradata = first_encoder.extradata
        audio = container.add_stream("libopus", rate=SAMPLE_RATE, layout="mono")
        for _, packets in parts:
            for packet in packets:
                packet.stream, packet.time_base = video, Fraction(1, fps)
                container.mux(packet)
        _encode_all(container, audio, _tone_frames(len(sizes), 330.0, 0.5))
    return path


# FFmpeg's own Vorbis encoder is experimental and stereo only.
_ENCODER_OPTIONS = {"vorbis": {"strict": "experimental"}}
_STEREO_ONLY = {"vorbis"}
# Any UUID will do: SEI user data is "a UUID, then whatever the writer likes".
_SEI_UUID = "d3b1e5a4-6c2f-4e8a-9f10-2b7c4d5e6f70"


def tagged_media(
    path: Path,
    *,
    container_format: str,
    audio_codec: str,
    video_codec: str | None = None,
    container_tags: dict[str, str],
    stream_tags: dict[str, str],
    in_band_tags: dict[str, str],
    seconds: float = 1.0,
) -> Path:
    """A recording carrying personal tags everywhere a file can: the container's tags, every stream's tags and,
    where the codec has room for text of its own, in the codec data itself: Vorbis comments in the Vorbis headers
    (carried whole into WebM and Matroska, as mkvmerge and browsers keep them; an Ogg muxer writes the stream's tags
    there instead) and H.264 SEI user data (where cameras write their own notes)."""
    layout = "stereo" if audio_codec in _STEREO_ONLY else "mono"
    vorbis = _vorbis_with_comments(in_band_tags, seconds) if audio_codec == "vorbis" else None
    with av.open(str(path), "w", format=container_format) as container:
        container.metadata.update(container_tags)
        video = None
        if video_codec:
            video = container.add_stream(video_codec, rate=25)
            video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
            video.metadata.update(stream_tags)
        if vorbis is None:
            audio = container.add_stream(
                audio_codec, rate=SAMPLE_RATE, layout=layout, options=_ENCODER_OPTIONS.get(audio_codec, {})
            )
        else:
            audio = container.add_stream_from_template(vorbis.template)
            audio.codec_context.extradata = vorbis.extradata
        audio.metadata.update(stream_tags)
        container.start_encoding()
        if video is not None:
            _write_video(container, video, seconds, in_band_tags)
        if vorbis is None:
            _encode_all(container, audio, _tone_frames(seconds, 330.0, 0.5, layout=layout))
        else:
            for packet in vorbis.packets:
                packet.stream = audio
                container.mux(packet)
    return path


def _write_video(container, video, seconds: float, in_band_tags: dict[str, str]) -> None:
    """Moving colour; H.264 also gets each in-band tag as SEI user data, put in by FFmpeg's own h264_metadata."""
    sei = None
    if video.codec_context.name == "libx264" and in_band_tags:
        text = " ".join(f"{key}={value}" for key, value in in_band_tags.items())
        sei = BitStreamFilterContext(f"h264_metadata=sei_user_data={_SEI_UUID}+{text}", in_stream=video)
    frames = []
    for index in range(round(seconds * 25)):
        pixels = np.zeros((video.height, video.width, 3), dtype=np.uint8)
        pixels[:, :, 0] = (index * 10) % 256
        frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
        frame.pts, frame.time_base = index, Fraction(1, 25)
        frames.append(frame)
    for packet in [packet for frame in [*frames, None] for packet in video.encode(frame)]:
        for filtered in sei.filter(packet) if sei else [packet]:
            filtered.stream = video
            container.mux(filtered)


class _Vorbis:
    def __init__(self, source, extradata: bytes):
        self.source = source
        self.template = source.streams.audio[0]
        self.extradata = extradata
        self.packets = [packet for packet in source.demux(self.template) if packet.dts is not None]


def _vorbis_with_comments(comments: dict[str, str], seconds: float) -> _Vorbis:
    """Vorbis packets and codec headers whose comment header holds `comments` (FFmpeg's encoder writes none)."""
    encoded = io.BytesIO()
    with av.open(encoded, "w", format="matroska") as container:
        stream = container.add_stream("vorbis", rate=SAMPLE_RATE, layout="stereo", options=_ENCODER_OPTIONS["vorbis"])
        _encode_all(container, stream, _tone_frames(seconds, 330.0, 0.5, layout="stereo"))
    encoded.seek(0)
    source = av.open(encoded)
    identification, _, setup = _split_xiph(source.streams.audio[0].codec_context.extradata)
    return _Vorbis(source, _xiph_lace([identification, _vorbis_comment_header(comments), setup]))


def _vorbis_comment_header(comments: dict[str, str]) -> bytes:
    entries = [f"{key}={value}".encode() for key, value in comments.items()]
    vendor = b"a phone's recorder app"
    body = struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", len(entries))
    body += b"".join(struct.pack("<I", len(entry)) + entry for entry in entries)
    return b"\x03vorbis" + body + b"\x01"


def _split_xiph(data: bytes) -> list[bytes]:
    """The packets of Xiph-laced codec private data (a count, the lengths in 255-runs, then the packets)."""
    count, position, lengths = data[0] + 1, 1, []
    for _ in range(count - 1):
        length = 0
        while data[position] == 255:
            length, position = length + 255, position + 1
        lengths.append(length + data[position])
        position += 1
    lengths.append(len(data) - position - sum(lengths))
    packets = []
    for length in lengths:
        packets.append(data[position : position + length])
        position += length
    return packets


def _xiph_lace(packets: list[bytes]) -> bytes:
    sizes = b"".join(b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255]) for packet in packets[:-1])
    return bytes([len(packets) - 1]) + sizes + b"".join(packets)


class _WriteOnlyStream:
    """A pipe-like sink: no seek, so the Matroska muxer cannot go back to write a duration or an index (Cues)."""

    def __init__(self, file):
        self._file = file

    def write(self, data: bytes) -> int:
        return self._file.write(data)


def mediarecorder_webm(path: Path, *, seconds: float = 3.0) -> Path:
    """A WebM shaped like Chromium's MediaRecorder output: Opus audio, live mode, no duration and no Cues."""
    with path.open("wb") as sink:
        container = av.open(_WriteOnlyStream(sink), "w", format="webm", options={"live": "1"})
        stream = container.add_stream("libopus", rate=SAMPLE_RATE, layout="mono")
        _encode_all(container, stream, _tone_frames(seconds, 440.0, 0.5))
        container.close()
    return path


def safari_mp4(path: Path, *, seconds: float = 3.0) -> Path:
    """An MP4 shaped like Safari's MediaRecorder output: AAC audio in fragments (`moof` boxes), no index up front."""
    with path.open("wb") as sink:
        container = av.open(
            _WriteOnlyStream(sink),
            "w",
            format="mp4",
            options={"movflags": "frag_keyframe+empty_moov+default_base_moof"},
        )
        stream = container.add_stream("aac", rate=SAMPLE_RATE, layout="mono")
        _encode_all(container, stream, _tone_frames(seconds, 440.0, 0.5))
        container.close()
    return path


def top_level_boxes(path: Path) -> list[str]:
    """The top-level box types of an MP4 file, in order (e.g. ftyp, moov, mdat)."""
    boxes, data, offset = [], path.read_bytes(), 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        boxes.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        offset += size if size >= 8 else len(data)
    return boxes


def truncated(source: Path, destination: Path, fraction: float = 0.5) -> Path:
    """The first `fraction` of a file, as if an upload or a copy was cut off."""
    data = source.read_bytes()
    destination.write_bytes(data[: int(len(data) * fraction)])
    return destination


MATROSKA_CUES_ID = bytes.fromhex("1C53BB6B")


def has_matroska_cues(path: Path) -> bool:
    """Whether a Matroska/WebM file carries a Cues element (the index browsers need to seek)."""
    return MATROSKA_CUES_ID in path.read_bytes()


def decode_mono(path: Path) -> tuple[np.ndarray, int]:
    """Decode the first audio stream to mono float samples (channels averaged) and return them with the rate."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=SAMPLE_RATE)
        chunks = []
        for frame in container.decode(stream):
            for converted in resampler.resample(frame):
                chunks.append(converted.to_ndarray()[0])
        for converted in resampler.resample(None):
            chunks.append(converted.to_ndarray()[0])
    return np.concatenate(chunks), SAMPLE_RATE


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
