"""Faults with real worker processes: `manage.py db_worker` killed mid-transcription, and a story withdrawn while its
job runs. Each test drives a small deployment of its own (SQLite file, private media, temp dir) in subprocesses,
as `make run` does, with a short lease so a dead worker is noticed within seconds."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.speech_samples import ROOT, concatenated

pytestmark = pytest.mark.whisper

LEASE_SECONDS = 3


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, packaged_speech):
    var = tmp_path_factory.mktemp("deployment")
    (var / "tmp").mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "TASK_BACKEND", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="voicebox.settings.dev",
        VOICEBOX_VAR_DIR=str(var),
        TMPDIR=str(var / "tmp"),
        WHISPER_MODEL="tiny.en",
        WHISPER_MODEL_CACHE=str(ROOT / "var" / "models"),
        TRANSCRIPTION_LEASE_SECONDS=str(LEASE_SECONDS),
        PYTHONPATH=str(ROOT),
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    # Two minutes of speech: long enough to be caught mid-transcription, short enough for tiny.en to finish quickly.
    recording = concatenated([packaged_speech[0]] * 4, var / "recording.wav")
    return Deployment(var, env, recording)


class Deployment:
    def __init__(self, var: Path, env: dict, recording: Path):
        self.var, self.env, self.recording = var, env, recording
        self.processes: list[subprocess.Popen] = []

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, *args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL
        )
        self.processes.append(process)
        return process

    def start_worker(self) -> subprocess.Popen:
        return self.start("db_worker", "--queue-name", "transcription", "--no-reload", "--interval", "0.2")

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()

    def submit_story(self) -> int:
        script = (
            "from pathlib import Path\n"
            "from django.db import transaction\n"
            "from tests.factories import ContributionFactory\n"
            "from tests.speech_samples import story_with_recording\n"
            "from transcription.services import request_transcription\n"
            "with transaction.atomic():\n"
            f"    story = story_with_recording(Path({str(self.recording)!r}))\n"
            "    ContributionFactory(story=story)\n"
            "    request_transcription(story.pk)\n"
            "print(story.pk)\n"
        )
        return int(self.manage("shell", "-c", script).split()[-1])

    def query(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.var / "voicebox.sqlite3", timeout=20) as db:
            return db.execute(sql, params).fetchall()

    def job(self, story_id: int) -> dict | None:
        rows = self.query(
            "SELECT status, lease_expires_at, attempts, task_id FROM transcription_transcriptionjob WHERE story_id=?",
            story_id,
        )
        return dict(zip(("status", "lease_expires_at", "attempts", "task_id"), rows[0], strict=True)) if rows else None

    def wait_for(self, condition, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if value := condition():
                return value
            time.sleep(0.1)
        pytest.fail(f"Timed out waiting for {what}.")

    def wait_until_transcribing(self, story_id: int) -> None:
        """Running, and its heartbeat has renewed the lease at least once: Whisper is at work."""
        first = self.wait_for(lambda: (j := self.job(story_id)) and j["status"] == "running" and j, 90, "a claim")
        self.wait_for(lambda: self.job(story_id)["lease_expires_at"] != first["lease_expires_at"], 30, "a heartbeat")

    def task_results(self) -> list[tuple]:
        return self.query(
            "SELECT id, status, args_kwargs FROM django_tasks_database_dbtaskresult WHERE task_path=? "
            "ORDER BY enqueued_at",
            "transcription.jobs.transcribe_story",
        )


@pytest.fixture
def running(deployment):
    yield deployment
    deployment.stop_all()


def test_a_killed_worker_is_replaced_and_the_story_gets_exactly_one_transcript(running):
    story_id = running.submit_story()
    first_worker = running.start_worker()
    running.wait_until_transcribing(story_id)
    first_worker.send_signal(signal.SIGKILL)
    first_worker.wait()

    assert running.job(story_id)["status"] == "running"
    assert running.query("SELECT COUNT(*) FROM transcription_transcript WHERE story_id=?", story_id) == [(0,)]
    [(dead_task, dead_status, _)] = running.task_results()
    assert dead_status == "RUNNING"  # the database queue alone would leave it like this for ever

    running.start_worker()
    running.start("recover_transcriptions", "--every", "1")
    running.wait_for(lambda: running.job(story_id)["status"] == "done", 120, "the replacement worker to finish")

    assert running.query("SELECT COUNT(*) FROM transcription_transcript WHERE story_id=?", story_id) == [(1,)]
    assert running.job(story_id)["attempts"] == 2
    statuses = {task_id: status for task_id, status, _ in running.task_results()}
    assert statuses.pop(dead_task) == "FAILED"  # closed by the sweeper, not left RUNNING
    assert list(statuses.values()) == ["SUCCESSFUL"]
    [(text,)] = running.query("SELECT text FROM transcription_transcript WHERE story_id=?", story_id)
    assert text.lower().count("chicago") >= 4


def test_a_story_withdrawn_mid_transcription_leaves_nothing_behind(running):
    story_id = running.submit_story()
    worker = running.start_worker()
    running.wait_until_transcribing(story_id)
    task_id = uuid.UUID(running.job(story_id)["task_id"]).hex
    [(media_name,)] = running.query(
        "SELECT m.file FROM stories_storypage s JOIN stories_storymedia m ON m.id = s.media_id WHERE s.page_ptr_id=?",
        story_id,
    )
    assert (running.var / "private" / media_name).exists()

    # The contributor withdraws: the real erasure, in another process while the worker transcribes.
    running.manage(
        "shell",
        "-c",
        "from moderation.erasure import erase_story\n"
        "from moderation.models import Contribution\n"
        f"erase_story(Contribution.objects.get(story_id={story_id}))\n",
    )

    # The worker notices the lost lease, discards its work, and its task result goes too.
    running.wait_for(lambda: task_id not in {row[0] for row in running.task_results()}, 60, "the job to be discarded")
    time.sleep(LEASE_SECONDS)  # a late write would have landed by now
    assert worker.poll() is None, "the worker must survive a withdrawal"
    assert running.query("SELECT COUNT(*) FROM transcription_transcript WHERE story_id=?", story_id) == [(0,)]
    assert running.job(story_id) is None
    assert not [row for row in running.task_results() if f"[{story_id}]" in row[2]]
    assert not (running.var / "private" / media_name).exists()
    assert list((running.var / "tmp" / "voicebox-transcription").glob("*")) == []
