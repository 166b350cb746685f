"""A theme's growth over time as a small bar chart: inline SVG (no script, no inline style, so the strict CSP holds),
with a title and a one-sentence summary for screen readers and for anyone who cannot see the bars."""

from dataclasses import dataclass

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
            label=f"{size.recorded_at:%-d %b %Y}: {_stories(count)}",
        )
        for position, (size, count) in enumerate(zip(sizes, counts, strict=True))
    )
    first, last = sizes[0], sizes[-1]
    if len(sizes) == 1:
        summary = f"{_stories(counts[0])} on {first.recorded_at:%-d %B %Y}."
    else:
        summary = (
            f"From {_stories(counts[0])} on {first.recorded_at:%-d %B %Y} "
            f"to {_stories(counts[-1])} on {last.recorded_at:%-d %B %Y}."
        )
    return GrowthChart(bars=bars, summary=summary)


def _stories(count: int) -> str:
    return f"{count} {'story' if count == 1 else 'stories'}"
