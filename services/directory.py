"""What the public sees of services: their published stories, published responses and figures.

A story counts here only while it is live and public and its contributor has confirmed it is about the service; a
response only once a moderator has published it.
"""

import statistics
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from stories.models import StoryPage

from .models import Response, ResponseReply, Service, StoryService


def stories_about(service: Service) -> QuerySet[StoryPage]:
    confirmed = StoryService.objects.filter(service=service, confirmed=True).values("story_id")
    return StoryPage.objects.published().filter(pk__in=confirmed)


def published_responses(**filters) -> QuerySet[Response]:
    """Published responses under stories the public can read."""
    return (
        Response.objects.filter(status=Response.Status.PUBLISHED, story__in=StoryPage.objects.published().values("pk"))
        .filter(**filters)
        .select_related("service", "story")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=ResponseReply.objects.filter(status=Response.Status.PUBLISHED),
                to_attr="published_replies",
            )
        )
    )


@dataclass(frozen=True)
class ServiceFigures:
    stories: int
    responded_to: int
    median_days_to_respond: float | None
    changes_recorded: int

    @property
    def share_responded_to(self) -> int | None:
        """Per cent of the service's published stories it has responded to."""
        return round(100 * self.responded_to / self.stories) if self.stories else None


def figures(service: Service, stories: QuerySet[StoryPage] | None = None) -> ServiceFigures:
    """The service's figures over its published stories, or over `stories` (some of them: a period, say)."""
    stories = stories if stories is not None else stories_about(service)
    stories = {story.pk: story.first_published_at for story in stories.only("first_published_at")}
    first_response: dict[int, object] = {}
    changes = 0
    for response in published_responses(service=service, story__in=list(stories)).order_by("published_at"):
        first_response.setdefault(response.story_id, response.published_at)
        changes += response.records_change
    days = [
        (answered - stories[story_id]).total_seconds() / 86400
        for story_id, answered in first_response.items()
        if stories[story_id]
    ]
    return ServiceFigures(
        stories=len(stories),
        responded_to=len(first_response),
        median_days_to_respond=round(statistics.median(days), 1) if days else None,
        changes_recorded=changes,
    )
