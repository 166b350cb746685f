"""Publication benchmark: a moderator publishes a one-hour video, and someone shares a story during the encode.

    .venv/bin/python bench/publication.py [--minutes 60] [--size 320x180] [--fps 10]

Builds a deployment of its own in a temporary directory (production settings, SQLite, local files, the database
queue) and makes a video of --minutes with PyAV: HEVC picture and AAC sound, as phones record, which publishing
must re-encode to H.264 (the long case). The video waits for a moderator as a story whose contributor chose to
publish their recording. A real worker process runs the publication queue (`manage.py db_worker --queue-name
publication`). Then, one after another, it measures:
- the moderator's "Publish" request (signed in with a password and a second factor; the whole middleware),
- a share submission (the last step of /share/, which writes the new story) made while the worker encodes,
- how long the worker took to make the published copy and publish,
- the same share submission with the worker idle, for comparison.
Before publication became a background task, the encode ran inside the moderator's request and its database
transaction: the request took as long as the worker does now, and on SQLite every submission waited for it.
Requests go through Django's test client in this process, against the same SQLite file the worker uses.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = Path(tempfile.mkdtemp(prefix="voicebox-publication-bench-"))


def configure() -> dict[str, str]:
    for name in ("DATABASE_URL", "REDIS_URL", "TASK_BACKEND"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="voicebox.settings.production",
        VOICEBOX_VAR_DIR=str(VAR),
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        RATELIMIT_ENABLE="false",
        EMAIL_URL="dummy://",
        # The one-hour video is at the upload cap; the story here skips intake, so the cap is not in the way either.
        VOICEBOX_MAX_MEDIA_MINUTES="600",
    )
    return dict(os.environ)


def make_video(path: Path, minutes: float, size: tuple[int, int], fps: int) -> None:
    """A video of a moving bar over a slow colour change, with a tone: cheap to make, real work to re-encode."""
    import av
    import numpy as np

    width, height = size
    rate = 48_000
    with av.open(str(path), "w", format="mp4") as out:
        video = out.add_stream("libx265", rate=fps, options={"preset": "ultrafast", "x265-params": "log-level=error"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = out.add_stream("aac", rate=rate, layout="mono")
        audio.bit_rate = 64_000
        frames = int(minutes * 60 * fps)
        samples_per_frame = rate // fps
        image = np.zeros((height, width, 3), dtype=np.uint8)
        tone = (0.2 * np.sin(2 * np.pi * 220 * np.arange(samples_per_frame) / rate)).astype(np.float32)
        for number in range(frames):
            image[:] = (number // fps) % 256, 96, 160
            image[:, (number * 4) % width : (number * 4) % width + 16] = 255
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = number
            frame.time_base = Fraction(1, fps)
            out.mux(video.encode(frame))
            sound = av.AudioFrame.from_ndarray(tone.reshape(1, -1), format="flt", layout="mono")
            sound.sample_rate = rate
            sound.pts = number * samples_per_frame
            sound.time_base = Fraction(1, rate)
            out.mux(audio.encode(sound))
        out.mux(video.encode(None))
        out.mux(audio.encode(None))


def story_in_moderation(video: Path, minutes: float):
    """The video as a story waiting for a moderator; its contributor chose to publish their recording."""
    from django.core.files import File

    from demo.content import ensure_consent_text, ensure_home_page, ensure_story_index
    from moderation import workflows
    from moderation.models import ConsentRecord
    from stories.models import StoryMedia, StoryPage
    from tests.factories import ConsentRecordFactory, ContributionFactory

    index = ensure_story_index(ensure_home_page())
    ensure_consent_text()
    media = StoryMedia(title="Benchmark video", type="video", duration=minutes * 60)
    with video.open("rb") as handle:
        media.file.save("upload.mp4", File(handle), save=False)
    media.save()
    story = index.add_child(
        instance=StoryPage(title="An hour of my life", slug="an-hour", story_format="video", media=media, live=False)
    )
    contribution = ContributionFactory(story=story)
    ConsentRecordFactory(contribution=contribution, media_use=ConsentRecord.MediaUse.PUBLISH_MEDIA)
    workflows.start_moderation(contribution)
    return contribution


def submit_a_story(client, title: str) -> float:
    """The share flow step by step; returns the seconds the final step (the submission that writes) took."""
    from tests import sharing

    fields = sharing.fill_in(client, story=sharing.story_answers(title=title))
    started = time.perf_counter()
    response = client.post("/share/check/", fields)
    took = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return took


def wait_for(condition, timeout: float, what: str) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"Gave up waiting for {what} after {timeout:.0f} s.")
        time.sleep(0.05)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--size", default="320x180")
    parser.add_argument("--fps", type=int, default=10)
    args = parser.parse_args()
    size = tuple(int(part) for part in args.size.split("x"))
    environment = configure()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from moderation.models import Contribution, Publication, StoryStatus
    from tests.moderators import action_url, moderator, sign_in

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    video = VAR / "one-hour.mp4"
    started = time.perf_counter()
    make_video(video, args.minutes, size, args.fps)
    print(
        f"Made a {args.minutes:g}-minute {args.size} video at {args.fps} fps "
        f"({video.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s.",
        flush=True,
    )
    contribution = story_in_moderation(video, args.minutes)
    video.unlink()
    mo = sign_in(moderator())

    log = (VAR / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "publication", "--interval", "0.1", "--no-reload"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # The worker has started (a running deployment's has), and the moderator has the story open, as they would.
        wait_for(lambda: "Starting worker" in (VAR / "worker.log").read_text(), 120, "the worker to start")
        assert mo.get(f"/admin/moderation/story/{contribution.pk}/").status_code == 200
        started = time.perf_counter()
        response = mo.post(action_url(contribution, "publish"))
        publish_request = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        decided = time.perf_counter()

        def publication_status():
            return Publication.objects.filter(contribution=contribution).values_list("status", flat=True).first()

        wait_for(lambda: publication_status() == Publication.Status.RUNNING, 60, "the worker to take the task")
        time.sleep(1.0)  # well into the encode
        during = submit_a_story(Client(), "Shared while a video was being published")
        still_encoding = publication_status() == Publication.Status.RUNNING

        def published() -> bool:
            return Contribution.objects.get(pk=contribution.pk).status == StoryStatus.PUBLISHED

        wait_for(published, 4 * 60 * 60, "the publication")
        worker_took = time.perf_counter() - decided
        idle = submit_a_story(Client(), "Shared with the worker idle")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()

    rows = [
        ("moderator's Publish request", f"{publish_request:.3f} s", "< 1 s"),
        ("share submission during the encode", f"{during:.3f} s", "no wait for the encode"),
        ("  (the encode still running when it returned)", "yes" if still_encoding else "NO", "yes"),
        ("share submission, worker idle", f"{idle:.3f} s", ""),
        ("decision to published (worker: copy + publish)", f"{worker_took:.1f} s", ""),
    ]
    width = max(len(row[0]) for row in rows)
    print(f"\n{'measure':<{width}}  {'result':>12}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>12}  {target}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(VAR, ignore_errors=True)
