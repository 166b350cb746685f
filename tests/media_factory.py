"""Audio and video test files made with PyAV: tones, silence, video with sound, browser-style WebM, damaged files.

Every helper writes real, decodable media (no canned bytes), so the intake is tested against what FFmpeg really
produces. Durations are short to keep the suite fast on two cores.
"""

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

SAMPLE_RATE = 48_000
FRAME_SAMPLES = 960  # 20 ms at 48 kHz


def _tone_frames(seconds: float, frequency: float, amplitude: float, rate: int = SAMPLE_RATE):
    """Mono float frames of a sine tone (or silence when amplitude is 0), with running timestamps."""
    total = round(seconds * rate)
    for start in range(0, total, FRAME_SAMPLES):
        count = min(FRAME_SAMPLES, total - start)
        t = (np.arange(start, start + count) / rate).astype(np.float32)
        samples = (amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
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
