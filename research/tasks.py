"""Background job: run theme discovery over the stories, queued by `discover_themes --queue` or by itself.

Discovery runs by itself, on the worker, when a story's meaning has just been stored (stories/meaning.py) and either
NEW_STORIES_FOR_A_RUN stories are new since the last run, or the last run is more than RUN_AT_LEAST_EVERY old. A
cache entry keeps a second run from being queued while one waits.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from stories.models import StoryVector

from .models import DiscoveryRun
from .runs import run_discovery

NEW_STORIES_FOR_A_RUN = 20
RUN_AT_LEAST_EVERY = timedelta(days=1)
QUEUED_KEY = "research:discovery-queued"
QUEUED_FOR_AT_MOST = 6 * 60 * 60  # a queued run that never started (a lost worker) stops blocking the next after this


@task()
def discover_themes() -> dict:
    """Run discovery; the result says what was found, never any story's words."""
    cache.delete(QUEUED_KEY)
    run = run_discovery()
    return {"run": run.pk, "stories": run.story_count, "themes": run.theme_count, "outliers": run.outlier_count}


def discovery_due() -> bool:
    last = DiscoveryRun.objects.exclude(status=DiscoveryRun.Status.FAILED).order_by("-started_at", "-pk").first()
    now = timezone.now()
    if last is not None and last.status == DiscoveryRun.Status.RUNNING and last.started_at > now - timedelta(hours=1):
        return False
    embedded = StoryVector.objects.filter(kind=StoryVector.Kind.STORY)
    new = embedded.filter(created_at__gt=last.started_at).count() if last else embedded.count()
    if new >= NEW_STORIES_FOR_A_RUN:
        return True
    return new > 0 and (last is None or last.started_at < now - RUN_AT_LEAST_EVERY)


def story_meaning_stored(story_id: int, **kwargs) -> None:
    """stories.meaning.story_meaning_changed receiver: queue discovery when it is due (and not queued already)."""
    if discovery_due() and cache.add(QUEUED_KEY, True, QUEUED_FOR_AT_MOST):
        transaction.on_commit(discover_themes.enqueue)
