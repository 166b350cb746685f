from django import template
from django.db.models import Prefetch

from research.charts import growth_chart
from research.corpus import public_stories
from research.models import EmergingTheme, ThemeQuote, UnthemedStory

register = template.Library()


def public_emerging_themes() -> list[dict]:
    """Emerging themes for public pages: not hidden, with published stories; words, quotes and counts from
    published stories only (quotes are checked again here, so a story unpublished since the run is never quoted)."""
    public_quotes = ThemeQuote.objects.filter(story__in=public_stories()).select_related("story")
    themes = EmergingTheme.objects.shown_publicly().prefetch_related(
        Prefetch("quotes", queryset=public_quotes, to_attr="public_quotes")
    )
    return [{"theme": theme, "chart": growth_chart(theme, public=True)} for theme in themes]


@register.inclusion_tag("research/includes/emerging_themes.html")
def emerging_themes(heading_level: int = 2):
    return {
        "emerging": public_emerging_themes(),
        "unthemed_count": UnthemedStory.objects.filter(story__in=public_stories()).count(),
        "heading_level": heading_level,
    }


@register.inclusion_tag("research/includes/growth_chart.html")
def theme_growth_chart(theme: EmergingTheme, public: bool = True):
    return {"chart": growth_chart(theme, public=public), "theme": theme}
