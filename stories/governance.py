"""Only two things publish a story: the workflow's decision and the contributor accepting proposed edits.

The core keeps the rule; governance carries it out. A story page publishes, unpublishes, is copied or moved only
inside `publishing_under_governance()`, which the governing app enters when it carries out a recorded decision
(publication, withdrawal, consent expiry). Every other path — the page editor, bulk actions, "publish this revision"
from history, scheduled publishing, copy, move, revert, the admin API, a management command, a superuser — reaches
`StoryPage` and is refused with `PublishingRefused`, whose message points to the story's review screen.

The core names no other app: the review screen's address comes from a Wagtail hook `story_review_url(page) -> str
| None` that the governing app registers.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from wagtail import hooks

STORY_REVIEW_URL_HOOK = "story_review_url"

REFUSAL = (
    "Stories are published, unpublished, copied and moved only by a moderation decision or by the contributor "
    "accepting proposed edits, never from the page editor. Decide on this story from its review screen."
)

# A context variable, not a global flag: a web request and a task worker thread each see only their own.
_governed: ContextVar[bool] = ContextVar("story_publishing_under_governance", default=False)


class PublishingRefused(PermissionDenied):
    """A story was about to change what the public sees outside a recorded decision."""

    def __init__(self, message: str = REFUSAL):
        super().__init__(message)


@contextmanager
def publishing_under_governance() -> Iterator[None]:
    """Carry out a recorded decision: what runs inside may publish or unpublish story pages."""
    token = _governed.set(True)
    try:
        yield
    finally:
        _governed.reset(token)


def require_governance() -> None:
    if not _governed.get():
        raise PublishingRefused()


def refuse_ungoverned_move(sender, **kwargs) -> None:
    """pre_page_move receiver for story pages."""
    require_governance()


def review_url(page) -> str | None:
    """The story's review screen, from whichever app governs it (None when nothing governs this page)."""
    for find in hooks.get_hooks(STORY_REVIEW_URL_HOOK):
        if url := find(page):
            return url
    return None
