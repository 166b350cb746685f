"""Taken down for now: a published story comes off the site without being erased, and goes back when its
contributor says so.

Taking down unpublishes the story under governance as every recorded unpublication does (`take_off_the_site`): the
page, its place in feeds, the API, search and emerging themes, and the published copy of its recording all go, and
the page cache and any frontend cache forget it. The contributor does it from their private page; staff do it for a
contributor who asks without their link, after checking it is theirs (who checked and how is kept as a note).

Putting back goes through the same publication as a moderator's decision (`request_publication`), under the
contributor's current consent. It needs no new review unless the story's words changed since it was published; then
it goes to a moderator first. Neither erases anything: withdrawing stays the way to erase a story.
"""

from django.db import transaction
from django.utils import timezone

from stories.links import public_urls, purge

from . import roles
from .expiry import take_off_the_site
from .models import AuditEvent, Contribution, StoryStatus, TakedownOnRequest
from .publication import last_published_revision, request_publication
from .state import latest_consent
from .workflows import NotNow, record, start_moderation

# The parts of a revision that make up what the story says, its recording too; a change to any of them needs a
# moderator's review.
WORDS = ("title", "body", "transcript", "media")


def may_take_down_for_now(contribution: Contribution) -> bool:
    return contribution.status == StoryStatus.PUBLISHED


def may_put_back(contribution: Contribution) -> bool:
    """Hidden, and the contributor's consent has not ended meanwhile (then it stays down: their end date stands)."""
    if contribution.status != StoryStatus.HIDDEN_BY_CONTRIBUTOR:
        return False
    consent = latest_consent(contribution)
    return consent is not None and not (consent.expires_on and consent.expires_on <= timezone.localdate())


@transaction.atomic
def take_down_for_now(contribution: Contribution, *, checked_by=None, how_checked: str = "") -> None:
    """Unpublish the story and keep it. By the contributor (no user), or by staff on their request after a check."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if not may_take_down_for_now(contribution):
        raise NotNow
    page = contribution.story.specific
    urls = public_urls(page)  # taken while the page is live; its media and feeds are purged with it
    take_off_the_site(page)
    contribution.status = StoryStatus.HIDDEN_BY_CONTRIBUTOR
    contribution.save(update_fields=["status", "status_changed_at"])
    if checked_by is None:
        AuditEvent.record(contribution.story_id, AuditEvent.Action.HIDDEN_BY_CONTRIBUTOR, AuditEvent.Actor.CONTRIBUTOR)
    else:
        if not roles.can_take_down(checked_by) or not how_checked.strip():
            raise NotNow
        TakedownOnRequest.objects.create(contribution=contribution, checked_by=checked_by, how_checked=how_checked)
        record(contribution, AuditEvent.Action.HIDDEN_ON_REQUEST, checked_by)
    transaction.on_commit(lambda: purge(urls))


@transaction.atomic
def put_back(contribution: Contribution) -> bool:
    """Publish the story again as it was. Returns False when its words changed, so it went to a moderator instead."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if not may_put_back(contribution):
        raise NotNow
    AuditEvent.record(contribution.story_id, AuditEvent.Action.PUT_BACK, AuditEvent.Actor.CONTRIBUTOR)
    page = contribution.story.specific
    if words_changed_since_published(page):
        start_moderation(contribution)
        return False
    # As it was: the revision last published, not a newer draft whose other changes nobody has approved.
    request_publication(contribution, revision=last_published_revision(page))
    return True


def words_changed_since_published(page) -> bool:
    """Whether the story's latest revision says something other than the revision last published (as Wagtail's log
    records it). Without a published revision to compare, it counts as changed."""
    published = last_published_revision(page)
    latest = page.latest_revision
    if published is None or latest is None:
        return True
    if published.pk == latest.pk:
        return False
    before, after = published.content, latest.content
    return any(before.get(name) != after.get(name) for name in WORDS)
