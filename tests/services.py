"""Where the real services of the scale-out set-up are, whether they answer, and the settings an environment gives."""

import os
import runpy
import socket
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("VOICEBOX_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("VOICEBOX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# The queue has its own database: tests clear the cache, which empties the cache's whole database.
TASK_REDIS_URL = os.environ.get("VOICEBOX_TEST_TASK_REDIS_URL", "redis://127.0.0.1:6379/14")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port), timeout=1):
            return True
    except OSError:
        return False


def postgres_reachable() -> bool:
    return _reachable(POSTGRES_URL)


def redis_reachable() -> bool:
    return _reachable(REDIS_URL)


@contextmanager
def _only_environment(variables: dict[str, str]):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update({"PATH": saved.get("PATH", ""), **variables})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def base_settings(**variables: str) -> dict:
    """The settings voicebox/settings/base.py builds when the environment holds exactly these variables.

    It runs the real settings file, so tests of the scale-out parts use the configuration an operator would get.
    """
    with _only_environment(variables):
        return runpy.run_path(str(ROOT / "voicebox" / "settings" / "base.py"))
