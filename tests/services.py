"""Where the real services of the scale-out set-up are, and whether they answer."""

import os
import socket
from urllib.parse import urlparse

POSTGRES_URL = os.environ.get("VOICEBOX_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("VOICEBOX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


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
