"""Transcription benchmark: accuracy, speed, pipeline overhead, throughput and memory, in one run on this machine.

    .venv/bin/python bench/transcription.py [--compare] [--skip-hour]

Prints one table:
- per language, the word error rate over the shared FLEURS recordings (../shared/data/speech; normalised with
  Whisper's own normalisers, English and basic), the real-time factor and how many languages were detected right;
- on one ≥ 5-minute recording (the samples joined): the bare engine's time, the pipeline's time (upload through
  the media intake, the database queue and a warm `db_worker`, to the stored transcript), their ratio, and whether
  the stored transcript is the very same as the bare engine's;
- machine throughput with the default worker set-up (two one-thread workers, as in Procfile.dev): two such
  recordings submitted at once, audio seconds per wall-clock second, and each worker's peak resident memory;
- peak resident memory of a one-hour recording (the samples joined to an hour) transcribed start to end.
--compare adds the throughput of the alternatives (one worker with two threads; two workers without batching).
Everything runs with the settings' defaults (base model, int8, beam 5, voice-activity filter) in a deployment of
its own in a temporary directory. Run it by hand on an otherwise idle machine; it takes about 15 minutes.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SPEECH = Path(os.environ.get("VOICEBOX_SHARED_SPEECH", ROOT.parent / "shared" / "data" / "speech"))
VAR = Path(tempfile.mkdtemp(prefix="voicebox-bench-"))

# A deployment of the benchmark's own: SQLite file, private media and the database queue under VAR.
for name in ("DATABASE_URL", "TASK_BACKEND", "REDIS_URL"):
    os.environ.pop(name, None)
os.environ.update(
    DJANGO_SETTINGS_MODULE="voicebox.settings.dev",
    VOICEBOX_VAR_DIR=str(VAR),
    WHISPER_MODEL_CACHE=os.environ.get("WHISPER_MODEL_CACHE", str(ROOT / "var" / "models")),
)

import django  # noqa: E402

django.setup()

import jiwer  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import TemporaryUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from stories.media_intake import store_upload  # noqa: E402
from tests.speech_samples import concatenated, normalise, story_with_recording  # noqa: E402
from transcription import engine  # noqa: E402
from transcription.models import JobStatus, Transcript, TranscriptionJob  # noqa: E402
from transcription.services import request_transcription  # noqa: E402

LANGUAGES = ("en", "de", "es", "fr", "pt")


class Table(list):
    """The rows of the final table; each is also shown as soon as it is measured, as the run is long."""

    def append(self, row: tuple[str, str]) -> None:
        print(f"... {row[0]}: {row[1]}", file=sys.stderr, flush=True)
        super().append(row)


def accuracy(rows: list[tuple[str, str]]) -> None:
    for language in LANGUAGES:
        references, hypotheses, audio, spent, detected = [], [], 0.0, 0.0, 0
        for recording in sorted(SPEECH.glob(f"fleurs-{language}-*.ogg")):
            started = time.perf_counter()
            transcript = engine.transcribe(recording)
            spent += time.perf_counter() - started
            audio += transcript.duration
            detected += transcript.language == language
            references.append(normalise(recording.with_suffix(".txt").read_text(), language))
            hypotheses.append(normalise(transcript.text, language))
        wer = jiwer.wer(references, hypotheses)
        rows.append(
            (
                f"{language}: WER, RTF, language detected",
                f"{wer:.1%}, {spent / audio:.3f}, {detected}/{len(references)}",
            )
        )


def start_worker(**env) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "transcription", "--no-reload"]
    command += ["--no-startup-delay", "-v0"]
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})


def stop(worker: subprocess.Popen) -> float:
    """Stop a worker and return its peak resident memory in GB."""
    worker.kill()
    _, _, usage = os.wait4(worker.pid, 0)
    return usage.ru_maxrss / 1024 / 1024


def submit(recording: Path) -> int:
    with open(recording, "rb") as source, transaction.atomic():
        upload = TemporaryUploadedFile("story.wav", "audio/wav", recording.stat().st_size, None)
        upload.write(source.read())
        upload.seek(0)
        media = store_upload(upload, title="Benchmark")
        story = story_with_recording(None, title="Benchmark")
        story.media = media
        story.story_format = media.type
        story.save()
        request_transcription(story.pk)
    return story.pk


def wait_done(story_ids: list[int]) -> None:
    while TranscriptionJob.objects.filter(story_id__in=story_ids, status=JobStatus.DONE).count() < len(story_ids):
        failed = TranscriptionJob.objects.filter(story_id__in=story_ids).exclude(
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE]
        )
        if failed.exists():
            raise SystemExit(f"A benchmark job ended as {failed.first().status}: {failed.first().error}")
        time.sleep(0.2)


def pipeline_overhead(rows, long_recording: Path, warm_up: Path) -> float:
    started = time.perf_counter()
    bare = engine.transcribe(long_recording)
    bare_seconds = time.perf_counter() - started
    worker = start_worker()
    wait_done([submit(warm_up)])  # the worker has loaded its model, as a long-running worker has
    started = time.perf_counter()
    story_id = submit(long_recording)
    wait_done([story_id])
    pipeline_seconds = time.perf_counter() - started
    stop(worker)
    same = Transcript.objects.get(story_id=story_id).segments == bare.segments_as_json()
    rows.append(
        (
            f"bare engine on a {bare.duration / 60:.1f}-min recording: seconds, RTF",
            f"{bare_seconds:.1f}, {bare_seconds / bare.duration:.3f}",
        )
    )
    rows.append(
        (
            "pipeline (upload → queue → stored): seconds, RTF",
            f"{pipeline_seconds:.1f}, {pipeline_seconds / bare.duration:.3f}",
        )
    )
    rows.append(("pipeline ÷ bare engine; same transcript", f"{pipeline_seconds / bare_seconds:.3f}×; {same}"))
    return bare.duration


def throughput(rows, label: str, long_recording: Path, duration: float, workers: int, **env) -> None:
    processes = [start_worker(**env) for _ in range(workers)]
    wait_done([submit(long_recording.with_name("warm-up.wav")) for _ in range(workers)])
    started = time.perf_counter()
    wait_done([submit(long_recording), submit(long_recording)])
    elapsed = time.perf_counter() - started
    peaks = [stop(process) for process in processes]
    rows.append(
        (
            f"throughput, {label}: × real time; peak RSS per worker",
            f"{2 * duration / elapsed:.1f}×; {max(peaks):.2f} GB",
        )
    )


def one_hour(rows, samples: list[Path]) -> None:
    hour = VAR / "one-hour.wav"
    total, sources = 0.0, []
    while total < 3600:
        for sample in samples:
            sources.append(sample)
            total += engine.media_duration(sample) + 0.5
    concatenated(sources, hour)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "transcribe", str(hour), "--json"], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    rows.append(
        (
            f"one hour ({engine.media_duration(hour) / 60:.0f} min): peak RSS, RTF, exit status",
            f"{usage.ru_maxrss / 1024 / 1024:.2f} GB, {elapsed / engine.media_duration(hour):.3f}, {status}",
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", action="store_true", help="Also measure the alternative worker set-ups.")
    parser.add_argument("--skip-hour", action="store_true", help="Leave out the one-hour memory run.")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    samples = sorted(SPEECH.glob("fleurs-*.ogg"))
    if not samples:
        raise SystemExit(f"No recordings in {SPEECH}.")
    rows = Table()
    rows.append(
        (
            "model, device, threads, batch",
            f"{settings.WHISPER_MODEL}, {settings.WHISPER_DEVICE}, {settings.WHISPER_CPU_THREADS}, "
            f"{settings.WHISPER_BATCH_SIZE}",
        )
    )
    accuracy(rows)
    # Five minutes or more of speech: the samples joined, repeated as needed.
    long_recording = concatenated((samples * 2)[:40], VAR / "long.wav")
    concatenated(samples[:1], VAR / "warm-up.wav")
    duration = pipeline_overhead(rows, long_recording, VAR / "warm-up.wav")
    throughput(rows, "2 workers × 1 thread, batched (default)", long_recording, duration, workers=2)
    if args.compare:
        throughput(rows, "1 worker × 2 threads, batched", long_recording, duration, 1, WHISPER_CPU_THREADS="2")
        throughput(rows, "2 workers × 1 thread, not batched", long_recording, duration, 2, WHISPER_BATCH_SIZE="1")
    if not args.skip_hour:
        one_hour(rows, samples)
    width = max(len(label) for label, _ in rows)
    print(f"\n{'measure'.ljust(width)}  result\n{'-' * width}  {'-' * 30}")
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
