"""What of a collection shows now, read from each story's own state and its contributor's latest consent, every time.

A story shows while its page is live and public (StoryCollection.public_stories) and its consent has not ended; its
recording goes into a training pack only while the page plays it and the latest consent still says "publish my
recording". Nothing here is stored, so a take-down, an expiry or a narrowed consent applies at the next request.
"""

from dataclasses import dataclass

from django.utils import timezone

from moderation.models import ConsentRecord
from stories.models import StoryPage

from .models import StoryCollection


@dataclass(frozen=True)
class Shown:
    story: StoryPage
    # None for a story no contributor's record stands behind (written by staff): shown as its page is, never its media.
    consent: ConsentRecord | None

    @property
    def media_may_be_shared(self) -> bool:
        media = self.story.media
        return bool(
            self.story.plays_media
            and media is not None
            and media.published_file
            and self.consent is not None
            and self.consent.media_use == ConsentRecord.MediaUse.PUBLISH_MEDIA
            and self.consent.audience != ConsentRecord.Audience.RESEARCHERS
        )


def showing(collection: StoryCollection) -> list[Shown]:
    stories = list(collection.public_stories())
    consents = _latest_consents(stories)
    today = timezone.localdate()
    return [
        Shown(story, consent)
        for story in stories
        if (consent := consents.get(story.pk)) is None
        or (consent.audience != ConsentRecord.Audience.RESEARCHERS and not _ended(consent, today))
    ]


def _latest_consents(stories: list[StoryPage]) -> dict[int, ConsentRecord]:
    """Each story's latest consent record, in one query (newest first, so the first seen per story is its latest)."""
    latest: dict[int, ConsentRecord] = {}
    records = ConsentRecord.objects.filter(contribution__story__in=stories).select_related("contribution")
    for record in records.order_by("-given_at", "-pk"):
        latest.setdefault(record.contribution.story_id, record)
    return latest


def _ended(consent: ConsentRecord, today) -> bool:
    return consent.expires_on is not None and consent.expires_on <= today
