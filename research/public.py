"""What research shows the public: emerging themes on the themes page, and the themes peers hid in the moderation
report (both added through the pages' hooks, in research/wagtail_hooks.py), and a theme's own page."""

from django.db.models import Prefetch

from research.charts import growth_chart
from research.corpus import public_stories
from research.curation import hidden_theme_counts
from research.models import EmergingTheme, ThemeQuote, UnthemedStory, hide_reason_choices


def public_emerging_themes() -> list[dict]:
    """Emerging themes for public pages: not hidden, with published stories; words, quotes and counts from
    published stories only (quotes are checked again here, so a story unpublished since the run is never quoted)."""
    public_quotes = ThemeQuote.objects.filter(story__in=public_stories()).select_related("story")
    themes = EmergingTheme.objects.shown_publicly().prefetch_related(
        Prefetch("quotes", queryset=public_quotes, to_attr="public_quotes")
    )
    return [{"theme": theme, "chart": growth_chart(theme, public=True)} for theme in themes]


def emerging_themes_context(heading_level: int = 2) -> dict:
    """For research/includes/emerging_themes.html, which research adds to the public themes page."""
    return {
        "emerging": public_emerging_themes(),
        "unthemed_count": UnthemedStory.objects.filter(story__in=public_stories()).count(),
        "heading_level": heading_level,
    }


def hidden_themes_context() -> dict:
    """For research/includes/hidden_themes_report.html, which research adds to the public moderation report:
    emerging themes hidden by peers, by policy reason, beside those shown."""
    counts = hidden_theme_counts()
    return {
        "shown": EmergingTheme.objects.shown_publicly().count(),
        "hidden": sum(counts.values()),
        "by_reason": [(title, counts[code]) for code, title in hide_reason_choices() if counts.get(code)],
    }
