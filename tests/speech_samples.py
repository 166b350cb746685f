"""Real speech and made-up sound for the transcription tests, and stories that carry them.

Real speech comes from ../shared (the `shared_speech` fixture) or, so the pipeline is tested without ../shared, from a
recording shipped inside a PyPI package: the pyannote-audio wheel carries a 30 s telephone conversation with its
transcript (sample.wav + sample.stm). Silence, tones and noise are generated; nothing generated is committed.
"""

import subprocess
import sys
import wave
import zipfile
from fractions import Fraction
from pathlib import Path

import av
import jiwer
import numpy as np
from django.core.files import File
from whisper_normalizer.basic import BasicTextNormalizer
from whisper_normalizer.english import EnglishTextNormalizer

ROOT = Path(__file__).resolve().parent.parent
PACKAGED_SPEECH_DIR = ROOT / "var" / "test-speech"
PYANNOTE_WHEEL = "pyannote-audio==4.0.7"
PYANNOTE_SAMPLE = "pyannote/audio/sample/sample"
SAMPLE_RATE = 16_000
_ENGLISH_NORMALISER = EnglishTextNormalizer()
_BASIC_NORMALISER = BasicTextNormalizer()


def packaged_conversation() -> tuple[Path, str]:
    """(wav, reference transcript) of the pyannote-audio sample, fetched once with pip into var/test-speech."""
    wav = PACKAGED_SPEECH_DIR / "conversation.wav"
    reference = PACKAGED_SPEECH_DIR / "conversation.txt"
    if not (wav.exists() and reference.exists()):
        PACKAGED_SPEECH_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:"]
            + ["--dest", str(PACKAGED_SPEECH_DIR), PYANNOTE_WHEEL],
            check=True,
            timeout=300,
        )
        wheel = next(PACKAGED_SPEECH_DIR.glob("pyannote_audio-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            wav.write_bytes(archive.read(f"{PYANNOTE_SAMPLE}.wav"))
            # STM lines: "file channel speaker start end words..."
            lines = archive.read(f"{PYANNOTE_SAMPLE}.stm").decode().splitlines()
            reference.write_text(" ".join(line.split(maxsplit=5)[5] for line in lines if line.strip()))
        wheel.unlink()
    return wav, reference.read_text()


def normalise(text: str, language: str = "en") -> str:
    """Whisper's own normalisers, as in its paper: English spellings and numbers made uniform; for other languages
    lower case with punctuation and symbols (straight or curly apostrophes alike) turned into spaces."""
    return (_ENGLISH_NORMALISER if language == "en" else _BASIC_NORMALISER)(text)


def word_error_rate(reference: str, hypothesis: str, language: str = "en") -> float:
    return jiwer.wer(normalise(reference, language), normalise(hypothesis, language))


def write_wav(path: Path, samples: np.ndarray) -> Path:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
    return path


def silence(path: Path, seconds: float = 20.0) -> Path:
    return write_wav(path, np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32))


def tone_and_noise(path: Path, seconds: float = 20.0) -> Path:
    """A chord that changes every second over hiss: music-like sound with no words in it."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    step = 1 + 0.25 * (np.floor(t) % 4)
    chord = sum(0.12 * np.sin(2 * np.pi * f * step * t) for f in (261.6, 329.6, 392.0))
    hiss = 0.05 * np.random.default_rng(7).standard_normal(len(t))
    return write_wav(path, chord + hiss)


def decode_mono(path: Path, rate: int) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
    blocks = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            blocks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
    blocks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    return np.concatenate(blocks)


def video_with_speech(source: Path, path: Path) -> Path:
    """An MP4 (H.264 video, AAC sound) whose sound track is the speech in `source`, made with PyAV."""
    rate, fps = 48_000, 10
    audio = decode_mono(source, rate)
    seconds = len(audio) / rate
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
        sound = container.add_stream("aac", rate=rate, layout="mono")
        picture = np.zeros((120, 160, 3), dtype=np.uint8)
        for index in range(int(seconds * fps) + 1):
            picture[:, :] = (index * 3 % 255, 90, 160)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        for start in range(0, len(audio), 1024):
            chunk = audio[start : start + 1024].reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="flt", layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            frame.time_base = Fraction(1, rate)
            container.mux(sound.encode(frame))
        container.mux(sound.encode(None))
    return path


def concatenated(sources: list[Path], path: Path, *, gap_seconds: float = 0.5) -> Path:
    """One WAV of several recordings one after another, with a short pause between them."""
    gap = np.zeros(int(gap_seconds * SAMPLE_RATE), dtype=np.float32)
    parts = []
    for source in sources:
        parts += [decode_mono(source, SAMPLE_RATE), gap]
    return write_wav(path, np.concatenate(parts))


def story_with_recording(recording: Path | None, *, title: str = "A story", kind: str = "audio"):
    """A draft StoryPage under a fresh home and index, whose media's private original is a copy of `recording`."""
    from stories.models import StoryMedia, StoryPage
    from tests.factories import site_tree

    index = site_tree()[1]
    media = None
    if recording is not None:
        media = StoryMedia(title="Recording", type=kind, duration=0)
        with open(recording, "rb") as original:
            media.file.save(f"upload{recording.suffix}", File(original), save=False)
        media.save()
    story = StoryPage(title=title, story_format=kind if recording else "text", media=media, live=False)
    index.add_child(instance=story)
    return story
