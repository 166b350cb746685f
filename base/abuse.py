"""Telling people from bots and floods on the share form and the story-key page, without getting in people's way.

- `client_ip` is the address rate limits count against: the socket address, or, behind `TRUSTED_PROXY_COUNT`
  reverse proxies, the address the outermost trusted proxy saw. A spoofed X-Forwarded-For changes nothing.
- django-ratelimit hashes the address into its cache key, so no raw IP is stored in the cache.
- The minimum fill time is a signed timestamp from when the person sent the form's first step: a script that
  posts every step in under a few seconds is not a person telling a story.
"""

import time

from django.conf import settings
from django.core import signing
from ipware import get_client_ip

# Final submissions per address; generous for a family or a drop-in centre sharing one connection.
SHARE_SUBMIT_RATE = "10/h"
# Story-step posts per address: each may carry a file that is probed and remuxed, which costs CPU.
SHARE_STORY_STEP_RATE = "30/h"
# Unknown story keys per address: a person mistyping a link a few times is fine, guessing is not.
KEY_GUESS_RATE = "20/m"
# Asking for a fresh private link: per client address, and per email address asked for (so nobody's inbox can be
# flooded from many connections). Enough for a few tries, not a flood.
LOST_LINK_RATE = "5/h"
LOST_LINK_PER_EMAIL_RATE = "3/h"

MIN_FILL_SECONDS = 3
# How long the signed start time on the check page stays valid; after that the page is shown again, answers kept.
MAX_FILL_SECONDS = 24 * 60 * 60
_STARTED_SALT = "moderation.share.started"


def client_ip(request) -> str:
    trusted_proxies = settings.TRUSTED_PROXY_COUNT
    if trusted_proxies:
        # Each trusted proxy appends the address it received the request from, so the client is the
        # trusted_proxies-th entry from the right; python-ipware counts the hops after the client, hence one less.
        # Entries further left were written by the client and are ignored.
        ip, _routable = get_client_ip(
            request,
            proxy_count=trusted_proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
            strict=False,
        )
    else:
        ip, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    # An address we cannot read shares one bucket with every other such request: limited, never exempt.
    return ip or "unknown"


def ratelimit_key(group: str, request) -> str:
    """django-ratelimit's key function: one bucket per client address."""
    return client_ip(request)


def sign_started(started_at: float) -> str:
    return signing.dumps(started_at, salt=_STARTED_SALT)


def seconds_since_started(stamp: str) -> float | None:
    """Seconds since a signed start time, or None if the stamp is forged, missing or stale."""
    try:
        started_at = signing.loads(stamp, salt=_STARTED_SALT, max_age=MAX_FILL_SECONDS)
    except (signing.BadSignature, TypeError):
        return None
    if not isinstance(started_at, int | float):
        return None
    return time.time() - started_at
