"""Share-flow load through the production front door: many contributors at once, nothing lost.

    .venv/bin/python bench/share_load.py [--users 100] [--seconds 180] [--backend sqlite|postgres|both]

For each backend it builds a deployment of its own (tests/front_door.py: Debian's nginx with
deploy/nginx/voicebox.conf in front of gunicorn with deploy/gunicorn.conf.py, production settings, one background
worker), migrates and loads the demo site, then `--users` contributors walk the real share flow over HTTPS, again and
again until `--seconds` have passed: choose to write, write the story, make the choices, read the check page (the
form's minimum fill time), submit, open the done page and the /my-story/<key>/ page it shows.

- sqlite: the embedded default (SQLite, the database task queue).
- postgres: PostgreSQL (database voicebox_share_load, made afresh) and Redis (cache db 12, RQ queue db 13).

The bench stands in for a load balancer in front of nginx (TRUSTED_PROXY_COUNT=2) and gives every walk an address
of its own in X-Forwarded-For, so each walk is a different contributor to the per-address rate limits, as in life.

It prints p50/p95 seconds per step, the answers by status, and checks: no 5xx, every key a done page showed opens
exactly one contribution with the title that was sent, and the run left no contribution that showed no key.
Exit status 1 when a check fails. Run it by hand on an otherwise idle machine.
"""

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.front_door import STEPS, FrontDoor, StepFailed, Visitor, share_written_story  # noqa: E402
from tests.services import POSTGRES_URL  # noqa: E402

POSTGRES_DATABASE = "voicebox_share_load"
REDIS_CACHE, REDIS_QUEUE = "redis://127.0.0.1:6379/12", "redis://127.0.0.1:6379/13"

CHECK = """
import json, os
from moderation.models import Contribution
from moderation.models.contributions import hash_story_key
shown = json.load(open(os.environ["SHARE_LOAD_SHOWN"]))
def titles(key):
    return [contribution.story.title for contribution in Contribution.objects.filter(key_hash=hash_story_key(key))]
wrong = [title for key, title in shown if titles(key) != [title]]
made = Contribution.objects.filter(story__title__startswith=os.environ["SHARE_LOAD_MARKER"]).count()
print(json.dumps({"wrong": wrong, "made": made}))
"""


def backend_env(backend: str) -> tuple[dict, list[str]]:
    """Settings and the worker command for a backend."""
    if backend == "sqlite":
        return {}, ["db_worker", "--queue-name", "*", "--no-reload"]
    import psycopg
    import redis

    with psycopg.connect(POSTGRES_URL.replace("postgres://", "postgresql://"), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    for url in (REDIS_CACHE, REDIS_QUEUE):
        redis.Redis.from_url(url).flushdb()
    database_url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + POSTGRES_DATABASE
    env = {"DATABASE_URL": database_url, "REDIS_URL": REDIS_CACHE, "TASK_BACKEND": "rq", "TASK_REDIS_URL": REDIS_QUEUE}
    return env, ["rqworker", "default", "publication", "transcription"]


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.timings: dict[str, list[float]] = {}
        self.shown: list[tuple[str, str]] = []
        self.failures: Counter = Counter()
        self.walks = 0

    def add(self, timings: dict[str, list[float]], shown: tuple[str, str] | None, failure: str | None) -> None:
        with self.lock:
            self.walks += 1
            for step, seconds in timings.items():
                self.timings.setdefault(step, []).extend(seconds)
            if shown:
                self.shown.append(shown)
            if failure:
                self.failures[failure] += 1


def contributor(door: FrontDoor, number: int, marker: str, deadline: float, results: Results) -> None:
    walk = 0
    while time.monotonic() < deadline:
        walk += 1
        title = f"{marker} {number}-{walk}"
        # An address of its own per walk, written by the "load balancer" in front of nginx.
        visitor = Visitor(door, forwarded_for=f"10.{number % 256}.{walk // 256 % 256}.{walk % 256}", timeout=120)
        timings: dict[str, list[float]] = {}
        try:
            key = share_written_story(visitor, title, timings)
            results.add(timings, (key, title), None)
        except StepFailed as error:
            results.add(timings, None, f"{error.step} {error.status}")
        except Exception as error:  # a timeout, a dropped connection, a page without its key: counted, not fatal
            results.add(timings, None, type(error).__name__)
        finally:
            visitor.close()


def percentile(values: list[float], share: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1] if len(values) > 1 else values[0]
    )


def run(backend: str, users: int, seconds: float, workers: int) -> bool:
    env, worker = backend_env(backend)
    with tempfile.TemporaryDirectory(prefix=f"voicebox-share-load-{backend}-") as folder:
        door = FrontDoor(Path(folder), trusted_proxies=2, workers=workers, extra_env=env)
        print(f"[{backend}] migrating and loading the demo site ...", flush=True)
        door.prepare()
        door.start()
        door.start_worker(*worker)
        try:
            marker = f"Load {uuid.uuid4().hex[:8]}"
            results = Results()
            deadline = time.monotonic() + seconds
            threads = [
                threading.Thread(target=contributor, args=(door, n, marker, deadline, results)) for n in range(users)
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            shown_file = Path(folder) / "shown.json"
            shown_file.write_text(json.dumps(results.shown))
            door.env.update(SHARE_LOAD_SHOWN=str(shown_file), SHARE_LOAD_MARKER=marker)
            check = json.loads(door.manage("shell", "-c", CHECK).strip().splitlines()[-1])
        finally:
            door.stop()
    print(f"[{backend}] {users} contributors, {elapsed:.0f} s: {results.walks} walks, {len(results.shown)} keys shown")
    for step in STEPS:
        values = results.timings.get(step, [])
        if values:
            p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
            print(f"  {step:9} n={len(values):5}  p50 {p50:6.3f} s  p95 {p95:6.3f} s")
    server_errors = sum(
        count for failure, count in results.failures.items() if failure.rsplit(" ", 1)[-1].startswith("5")
    )
    print(f"  failed walks: {dict(results.failures) or 'none'}")
    print(f"  keys shown that do not open exactly one contribution with their title: {len(check['wrong'])}")
    print(f"  contributions made by the run: {check['made']} (keys shown: {len(results.shown)})")
    passed = server_errors == 0 and not check["wrong"] and check["made"] == len(results.shown)
    print(f"  {'PASS' if passed else 'FAIL'}: zero 5xx, every key in the database exactly once, nothing lost")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (4 threads each)")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = [run(backend, args.users, args.seconds, args.workers) for backend in backends]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
