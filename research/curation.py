"""What peer moderators do with emerging themes: merge, split, hide (never delete).

Stories moved by a peer are marked as placed by a peer, so later discovery runs leave them where the peer put them.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .corpus import public_stories
from .models import EmergingTheme, ThemeMembership, hide_reason_choices


@transaction.atomic
def merge_themes(target: EmergingTheme, others: Iterable[EmergingTheme]) -> EmergingTheme:
    """Move the other themes' stories into `target`; the others stay on record as merged into it."""
    for other in others:
        if other.pk == target.pk:
            continue
        ThemeMembership.objects.filter(theme=other).update(theme=target, placed_by_peer=True)
        other.merged_into = target
        other.is_current = False
        other.save(update_fields=["merged_into", "is_current", "updated_at"])
        # Themes merged into `other` earlier now point straight at the target.
        EmergingTheme.objects.filter(merged_into=other).update(merged_into=target)
    _recount(target)
    return target


@transaction.atomic
def split_theme(theme: EmergingTheme, story_ids: Iterable[int], name: str = "") -> EmergingTheme:
    """Move the chosen stories of `theme` into a new theme (named `name`, or left for naming)."""
    new_theme = EmergingTheme.objects.create(name=name, split_from=theme, terms=[], public_terms=[])
    moved = ThemeMembership.objects.filter(theme=theme, story_id__in=list(story_ids)).update(
        theme=new_theme, placed_by_peer=True
    )
    if moved:
        _recount(new_theme)
        _recount(theme)
    return new_theme


def _recount(theme: EmergingTheme) -> None:
    theme.story_count = theme.memberships.count()
    theme.public_story_count = theme.memberships.filter(story__in=public_stories()).count()
    theme.save(update_fields=["story_count", "public_story_count", "updated_at"])


def hide_theme(theme: EmergingTheme, reason_code: str, user) -> None:
    """Hide a theme from public pages. It needs a reason from the policy list; the moderation report counts it."""
    if reason_code not in dict(hide_reason_choices()):
        raise ValueError("A theme can only be hidden for a reason on the policy list.")
    theme.hidden = True
    theme.hidden_reason_code = reason_code
    theme.hidden_at = timezone.now()
    theme.hidden_by = user
    theme.save(update_fields=["hidden", "hidden_reason_code", "hidden_at", "hidden_by", "updated_at"])


def show_theme(theme: EmergingTheme) -> None:
    theme.hidden = False
    theme.hidden_reason_code = ""
    theme.hidden_at = None
    theme.hidden_by = None
    theme.save(update_fields=["hidden", "hidden_reason_code", "hidden_at", "hidden_by", "updated_at"])


def hidden_theme_counts() -> dict[str, int]:
    """For the moderation report: how many emerging themes are hidden, by policy reason code."""
    rows = EmergingTheme.objects.filter(hidden=True).values("hidden_reason_code").annotate(count=Count("pk"))
    return {row["hidden_reason_code"]: row["count"] for row in rows}
