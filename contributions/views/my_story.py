"""The contributor's private page, /my-story/<key>/: where their story is, what they sent, and the way to withdraw.

Opened by its key through `contributions.keys.opens_story`, like every page under /my-story/<key>/.
"""

from django.http import Http404
from django.shortcuts import redirect, render

from moderation.erasure import erase_story
from moderation.models import STATUS_EXPLANATIONS, Contribution, StoryStatus
from stories.media_delivery import STAFF_CACHE_CONTROL, private_original, serve_media
from stories.models import StoryMedia

from ..keys import opens_story

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
    return serve_media(request, private_original(media), cache_control=STAFF_CACHE_CONTROL)


def lifecycle(contribution: Contribution) -> list[dict]:
    """The stages of the story's way, each marked done, current or to come (words, not only colour)."""
    has_recording = bool(contribution.story and contribution.story.media_id)
    path = [stage for stage in MAIN_PATH if has_recording or stage not in RECORDING_STEPS]
    if contribution.status == StoryStatus.PUBLISHING:
        # Decided, and the published copy is being made: one step before "Published", which is still to come.
        path.insert(path.index(StoryStatus.PUBLISHED), StoryStatus.PUBLISHING)
    elif contribution.status not in path:
        # Off the usual way: an expired story after publication; edits, a decline, an appeal or a pause after review.
        after_publication = (StoryStatus.EXPIRED, StoryStatus.HIDDEN_BY_CONTRIBUTOR)
        after = StoryStatus.PUBLISHED if contribution.status in after_publication else StoryStatus.IN_MODERATION
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
    return render(request, "contributions/my_story/status.html", context)


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
        return redirect("contributions:my_story", key=key)
    return render(request, "contributions/my_story/withdraw.html", {"key": key, "page": contribution.story})
