"""`make test`: the whole suite on the embedded default, then the production parts against real services.

1. Every test on SQLite with local files and the database queue. Tests of PostgreSQL, Redis and S3 talk to those
   services directly where they are reachable (and fail, rather than skip, under CI, where they always are).
2. The database- and queue-specific tests again with PostgreSQL as Django's database and Redis/RQ as the task
   backend, when those services are reachable.
pytest's exit code 5 (no tests collected) counts as a failure in both runs.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import POSTGRES_URL, REDIS_URL, TASK_REDIS_URL, postgres_reachable, redis_reachable  # noqa: E402

NO_TESTS_COLLECTED = 5


def pytest(args: list[str], extra_env: dict[str, str] | None = None) -> int:
    env = {**os.environ, **(extra_env or {})}
    code = subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)
    if code == NO_TESTS_COLLECTED:
        print(f"pytest {' '.join(args)}: no tests were collected, which counts as a failure.", flush=True)
    return code


def main() -> int:
    code = pytest(sys.argv[1:])
    if code != 0:
        return code or 1
    if postgres_reachable() and redis_reachable():
        print("\n== Production parts: PostgreSQL database, Redis/RQ task queue ==", flush=True)
        code = pytest(
            ["-m", "production_parts", *sys.argv[1:]],
            {
                "DATABASE_URL": POSTGRES_URL,
                "REDIS_URL": REDIS_URL,
                "TASK_REDIS_URL": TASK_REDIS_URL,
                "TASK_BACKEND": "rq",
            },
        )
    elif os.environ.get("CI"):
        print("CI must have PostgreSQL and Redis running (127.0.0.1:5432, 127.0.0.1:6379).", flush=True)
        return 1
    else:
        print("\nPostgreSQL or Redis is not reachable: the production-parts run was left out.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
