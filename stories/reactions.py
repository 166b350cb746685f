"""The "I've experienced this too" count: anonymous per story, one per browser, remembered in a signed cookie.

Nothing about the reader is stored on the server: only the number goes up. The cookie lists the stories this
browser has already counted, signed so it cannot be edited to count again (clearing it is possible, and the rate
limit on the view keeps that cheap trick from inflating a count).
"""

import functools

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from .records import ExperiencedTooCount

COOKIE_NAME = "vb_experienced"
COOKIE_SALT = "stories.experienced-too"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365 * 2
# Enough for any reader; the oldest entries drop off so the cookie stays small.
MAX_REMEMBERED = 300


def counted_story_ids(request: HttpRequest) -> list[int]:
    raw = request.get_signed_cookie(COOKIE_NAME, default="", salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    return [int(part) for part in raw.split(".") if part.isdigit()]


def already_counted(request: HttpRequest, story_id: int) -> bool:
    return story_id in counted_story_ids(request)


def count_once(request: HttpRequest, response: HttpResponse, story_id: int) -> bool:
    """Add this browser's one to the story's count; False if it had already been counted."""
    counted = counted_story_ids(request)
    if story_id in counted:
        return False
    ExperiencedTooCount.add_one(story_id)
    remembered = [*counted, story_id][-MAX_REMEMBERED:]
    response.set_signed_cookie(
        COOKIE_NAME,
        ".".join(str(pk) for pk in remembered),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return True


def render_experienced_too(request: HttpRequest, story_id: int) -> str:
    """The count and the button (or a thank-you once this browser has said so), for one story page."""
    count = ExperiencedTooCount.for_story(story_id)
    return _experienced_too_html(story_id, count, already_counted(request, story_id), get_language())


@functools.lru_cache(maxsize=4096)
def _experienced_too_html(story_id: int, count: int, counted: bool, language: str | None) -> str:
    # Filled into every cached story page, and the same for every reader at the same count in the same interface
    # language (the words and the form's address are in it): rendered once for each.
    context = {
        "action": reverse("stories:experienced_too", args=[story_id]),
        "count": count,
        "already_counted": counted,
    }
    return render_to_string("includes/experienced_too.html", context)
