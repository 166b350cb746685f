"""Running discovery over the stories and keeping what peers have done with its themes.

A new run does not throw the themes away: each theme it finds joins the existing theme that holds most of its
stories (so names, descriptions, links, merges and hiding carry over), or becomes a new, unnamed theme. Stories that
peers placed by merging or splitting stay where they put them. Every current theme's size is recorded per run: the
points of its growth chart.
"""

import logging
from collections import Counter

from django.db import transaction
from django.utils import timezone

from .corpus import discovery_documents
from .discovery import DiscoveredTheme, DiscoveryParameters, discover
from .models import DiscoveryRun, EmergingTheme, ThemeMembership, ThemeQuote, ThemeSize, UnthemedStory

logger = logging.getLogger(__name__)


def run_discovery(parameters: DiscoveryParameters | None = None) -> DiscoveryRun:
    run = DiscoveryRun.objects.create()
    try:
        documents = discovery_documents()
        result = discover(documents, parameters)
        with transaction.atomic():
            _apply(run, result.themes, result.outlier_ids, {d.story_id for d in documents if d.public})
            run.status = DiscoveryRun.Status.FINISHED
            run.story_count = len(documents)
            run.theme_count = EmergingTheme.objects.current().count()
            run.outlier_count = len(result.outlier_ids)
            run.parameters = result.parameters_dict()
            run.finished_at = timezone.now()
            run.save()
    except Exception:
        run.status = DiscoveryRun.Status.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
        logger.exception("Theme discovery run %s failed", run.pk)
        raise
    if result.note:
        logger.warning("Theme discovery run %s: %s", run.pk, result.note)
    logger.info("Theme discovery run %s: %s stories, %s themes", run.pk, run.story_count, run.theme_count)
    return run


def _final(theme: EmergingTheme) -> EmergingTheme:
    while theme.merged_into_id:
        theme = theme.merged_into
    return theme


def _apply(run: DiscoveryRun, found: tuple[DiscoveredTheme, ...], outlier_ids, public_ids: set[int]) -> None:
    previous = dict(ThemeMembership.objects.values_list("story_id", "theme_id"))
    peer_placed = set(ThemeMembership.objects.filter(placed_by_peer=True).values_list("story_id", flat=True))
    ThemeMembership.objects.filter(placed_by_peer=False).delete()
    UnthemedStory.objects.all().delete()
    # Stories no longer in discovery (withdrawn, expired, consent changed) leave their peer placements too.
    in_corpus = {story_id for theme in found for story_id in theme.story_ids} | set(outlier_ids)
    ThemeMembership.objects.exclude(story_id__in=in_corpus).delete()
    EmergingTheme.objects.update(is_current=False)

    described: set[int] = set()
    for discovered in found:  # largest first, so the largest found theme keeps an old theme's name
        theme = _matching_theme(discovered, previous, described)
        theme.is_current = True
        if theme.pk not in described:
            # Several found themes can join one theme peers merged; the first (largest) describes it.
            described.add(theme.pk)
            theme.terms = list(discovered.terms)
            theme.public_terms = list(discovered.public_terms)
            theme.save()
            theme.quotes.all().delete()
            ThemeQuote.objects.bulk_create(
                ThemeQuote(theme=theme, story_id=quote.story_id, text=quote.text, position=position)
                for position, quote in enumerate(discovered.quotes)
            )
        else:
            theme.save(update_fields=["is_current", "updated_at"])
        ThemeMembership.objects.bulk_create(
            ThemeMembership(theme=theme, story_id=story_id, rank=rank)
            for rank, story_id in enumerate(discovered.story_ids)
            if story_id not in peer_placed
        )
    UnthemedStory.objects.bulk_create(
        UnthemedStory(story_id=story_id, run=run) for story_id in outlier_ids if story_id not in peer_placed
    )
    # Themes peers made (by splitting) stay current while they hold stories.
    EmergingTheme.objects.filter(merged_into__isnull=True, memberships__placed_by_peer=True).update(is_current=True)
    record_sizes(run, public_ids)


def _matching_theme(discovered: DiscoveredTheme, previous: dict[int, int], claimed: set[int]) -> EmergingTheme:
    """The theme that held most of these stories before, if it held at least half of those it knew; else a new one.

    A theme already claimed in this run takes a second found theme only if peers made it by merging: otherwise a
    theme that has grown into two is allowed to become two.
    """
    known = [previous[story_id] for story_id in discovered.story_ids if story_id in previous]
    if known:
        theme_id, count = Counter(known).most_common(1)[0]
        if count * 2 >= len(known):
            theme = _final(EmergingTheme.objects.get(pk=theme_id))
            if theme.pk not in claimed or theme.merged_from.exists():
                return theme
    return EmergingTheme.objects.create()


def record_sizes(run: DiscoveryRun, public_ids: set[int]) -> None:
    """Count each current theme's stories (all, and public ones) and keep the counts as this run's chart points."""
    now = timezone.now()
    for theme in EmergingTheme.objects.current():
        story_ids = list(theme.memberships.values_list("story_id", flat=True))
        theme.story_count = len(story_ids)
        theme.public_story_count = sum(1 for story_id in story_ids if story_id in public_ids)
        theme.save(update_fields=["story_count", "public_story_count", "updated_at"])
        ThemeSize.objects.update_or_create(
            theme=theme,
            run=run,
            defaults={
                "recorded_at": now,
                "story_count": theme.story_count,
                "public_story_count": theme.public_story_count,
            },
        )
