"""The contributor's private page, /my-story/<key>/: where their story is, what they sent, and the way to withdraw.

The key is the only credential. A wrong key and a missing one get the same 404 page; unknown keys are counted per
client address and, past the limit, answered with 429, so keys cannot be guessed at any useful rate. Pages here
are never cached or indexed, and send a Referer only to this site, so the key does not travel beyond it.
"""

from functools import wraps

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from base import abuse
from stories.media_delivery import STAFF_CACHE_CONTROL, original_media, serve_media
from stories.models import StoryMedia

from ..erasure import erase_story
from ..models import STATUS_EXPLANATIONS, Contribution, StoryStatus, WithdrawnStoryKey

KEY_GUESS_GROUP = "my-story-unknown-key"

# The usual way a story goes, as the contributor sees it; the recording steps only apply to audio and video.
MAIN_PATH = (
    StoryStatus.SUBMITTED,
    StoryStatus.PROCESSING,
    StoryStatus.AWAITING_CONTRIBUTOR,
    StoryStatus.IN_MODERATION,
    StoryStatus.PUBLISHED,
)
RECORDING_STEPS = (StoryStatus.PROCESSING, StoryStatus.AWAITING_CONTRIBUTOR)


def private_media_response(request, media: StoryMedia):
    """A private original for the one person allowed to hear it: seekable, never cached, typed by probed content."""
    return serve_media(request, original_media(media.pk), cache_control=STAFF_CACHE_CONTROL)


def _guessing(request, *, count: bool) -> bool:
    return is_ratelimited(
        request, group=KEY_GUESS_GROUP, key=abuse.ratelimit_key, rate=abuse.KEY_GUESS_RATE, increment=count
    )


def opens_story(view):
    """Look the key up before the view runs: the view gets the contribution, or the withdrawn page is shown."""

    @wraps(view)
    def wrapped(request, key: str, *args, **kwargs):
        if _guessing(request, count=False):
            raise Ratelimited()
        contribution = Contribution.objects.for_key(key)
        if contribution is None:
            if WithdrawnStoryKey.objects.for_key(key):
                return _private(render(request, "moderation/my_story/withdrawn.html"))
            if _guessing(request, count=True):
                raise Ratelimited()
            raise Http404
        return _private(view(request, contribution, key, *args, **kwargs))

    return never_cache(wrapped)


def _private(response):
    # The site-wide Referrer-Policy (same-origin) already keeps the key from other sites; "no-referrer" would make
    # browsers send "Origin: null" with the withdraw form, which CSRF protection rightly refuses.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def lifecycle(contribution: Contribution) -> list[dict]:
    """The stages of the story's way, each marked done, current or to come (words, not only colour)."""
    has_recording = bool(contribution.story and contribution.story.media_id)
    path = [stage for stage in MAIN_PATH if has_recording or stage not in RECORDING_STEPS]
    if contribution.status not in path:
        # Off the usual way: an expired story after publication; edits, a decline, an appeal or a pause after review.
        after = StoryStatus.PUBLISHED if contribution.status == StoryStatus.EXPIRED else StoryStatus.IN_MODERATION
        path = [*path[: path.index(after) + 1], contribution.status]
    current = path.index(contribution.status)
    return [
        {"label": StoryStatus(stage).label, "state": "done" if i < current else "current" if i == current else "next"}
        for i, stage in enumerate(path)
    ]


@opens_story
def story_status(request, contribution: Contribution, key: str):
    page = contribution.story.specific if contribution.story else None
    what, next_step = STATUS_EXPLANATIONS[contribution.status]
    context = {
        "key": key,
        "contribution": contribution,
        "status_label": contribution.get_status_display(),
        "status_explanation": what,
        "status_next": next_step,
        "stages": lifecycle(contribution),
        "page": page,
        "consent": contribution.consents.select_related("consent_text").first(),
    }
    return render(request, "moderation/my_story/status.html", context)


@opens_story
def story_media(request, contribution: Contribution, key: str):
    media = contribution.story.media if contribution.story else None
    if media is None or not media.file:
        raise Http404
    return private_media_response(request, media)


@opens_story
def withdraw(request, contribution: Contribution, key: str):
    """GET: are you sure? POST: erase the story now."""
    if request.method == "POST":
        erase_story(contribution)
        return redirect("moderation:my_story", key=key)
    return render(request, "moderation/my_story/withdraw.html", {"key": key, "page": contribution.story})
