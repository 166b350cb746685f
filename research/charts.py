"""A theme's growth over time as a small bar chart: inline SVG (no script, no inline style, so the strict CSP holds),
with a title and a one-sentence summary for screen readers and for anyone who cannot see the bars."""

from dataclasses import dataclass

from django.utils import dateformat
from django.utils.translation import gettext, ngettext, pgettext

from base.dates import long_date

from .models import EmergingTheme

CHART_WIDTH = 160
CHART_HEIGHT = 40
MAX_BARS = 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class GrowthChart:
    bars: tuple[Bar, ...]
    summary: str
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT


def growth_chart(theme: EmergingTheme, *, public: bool) -> GrowthChart | None:
    """The last few recorded sizes of `theme` (counting public stories only when `public`), or None if unrecorded."""
    sizes = list(theme.sizes.order_by("-recorded_at", "-pk")[:MAX_BARS])[::-1]
    if not sizes:
        return None
    counts = [size.public_story_count if public else size.story_count for size in sizes]
    tallest = max(max(counts), 1)
    slot = CHART_WIDTH / len(sizes)
    bars = tuple(
        Bar(
            x=round(position * slot + slot * 0.15, 2),
            y=round(CHART_HEIGHT - max(count / tallest * CHART_HEIGHT, 1), 2),
            width=round(slot * 0.7, 2),
            height=round(max(count / tallest * CHART_HEIGHT, 1), 2),
            label=f"{_short_date(size.recorded_at)}: {_stories(count)}",
        )
        for position, (size, count) in enumerate(zip(sizes, counts, strict=True))
    )
    first, last = sizes[0], sizes[-1]
    if len(sizes) == 1:
        # Translators: a theme's size on the one day it was counted, e.g. "3 stories on 6 December 2026."
        summary = gettext("%(stories)s on %(date)s.") % {
            "stories": _stories(counts[0]),
            "date": long_date(first.recorded_at),
        }
    else:
        # Translators: how a theme grew, e.g. "From 3 stories on 6 November 2026 to 5 stories on 6 December 2026."
        summary = gettext("From %(first)s on %(first_date)s to %(last)s on %(last_date)s.") % {
            "first": _stories(counts[0]),
            "first_date": long_date(first.recorded_at),
            "last": _stories(counts[-1]),
            "last_date": long_date(last.recorded_at),
        }
    return GrowthChart(bars=bars, summary=summary)


def _stories(count: int) -> str:
    # Translators: a number of stories, in a theme's growth chart ("3 stories on 6 December 2026").
    return ngettext("%(count)s story", "%(count)s stories", count) % {"count": count}


def _short_date(value) -> str:
    """A day as "6 Dec 2026", for a bar's label, in the active language's words and order."""
    # Translators: a short date format, in the letters of Django's "date" filter: j the day, M the month's short
    # name with a capital (b: in small letters), Y the year.
    return dateformat.format(value, pgettext("date format: day, month's short name, year", "j M Y"))
