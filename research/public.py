"""What research shows the public: emerging themes on the themes page, and the themes peers hid in the moderation
report (both added through the pages' hooks, in research/wagtail_hooks.py), and a theme's own page; and what a
contributor may know of their own story's place in research, on their private page."""

from django.db.models import Prefetch

from research.charts import growth_chart
from research.corpus import public_stories
from research.curation import hidden_theme_counts
from research.models import EmergingTheme, ResearchExport, ThemeQuote, UnthemedStory, hide_reason_choices


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


def story_research_context(story_id: int) -> dict:
    """For research/includes/my_story_research.html, which research adds to the contributor's private page: the
    public emerging themes that quote their story, and when it was included in research exports. Never who exported
    it: the contributor learns what happened to their words, not who handled them."""
    # Quotes are shown only from published stories (public_emerging_themes), so only a published story is quoted.
    quoted_in = EmergingTheme.objects.shown_publicly().filter(
        quotes__story_id=story_id, quotes__story__in=public_stories()
    )
    exports = ResearchExport.objects.filter(items__story_ref=story_id).order_by("exported_at")
    return {"quoted_in": list(quoted_in.distinct()), "exported_on": [export.exported_at for export in exports]}
