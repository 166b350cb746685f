"""Admin screens for emerging themes (peer and staff moderators) and research stories (the Researchers group).

Templates escape everything contributors wrote: nothing here is marked safe.
"""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from moderation.models import Contribution
from stories.generation import invalidate

from . import curation
from .charts import growth_chart
from .corpus import public_stories, research_contributions
from .exports import create_export
from .forms import ExportForm, MergeThemesForm, SplitThemeForm
from .models import EmergingTheme, ResearchExport, ThemeMembership, UnthemedStory

CURATE_PERMISSION = "research.change_emergingtheme"
EXPLORE_PERMISSION = "research.explore_research_stories"
EXCERPT_WORDS = 40


def _require(request, permission: str) -> None:
    if not (request.user.is_active and request.user.has_perm(permission)):
        raise PermissionDenied


def _suggestions(story_ids) -> dict[int, list[str]]:
    """Contributors' own suggested themes, per story (comma-separated in the share form)."""
    rows = Contribution.objects.filter(story_id__in=story_ids).exclude(suggested_themes="")
    return {
        story_id: [part.strip() for part in text.split(",") if part.strip()]
        for story_id, text in rows.values_list("story_id", "suggested_themes")
    }


def _story_rows(memberships_or_unthemed) -> list[dict]:
    rows = list(memberships_or_unthemed.select_related("story"))
    public_ids = set(public_stories().filter(pk__in=[row.story_id for row in rows]).values_list("pk", flat=True))
    suggestions = _suggestions([row.story_id for row in rows])
    return [
        {
            "story": row.story,
            "excerpt": " ".join(" ".join(row.story.paragraphs + [row.story.transcript_text]).split()[:EXCERPT_WORDS]),
            "public": row.story_id in public_ids,
            "suggested": suggestions.get(row.story_id, []),
            "placed_by_peer": getattr(row, "placed_by_peer", False),
        }
        for row in rows
    ]


def theme_detail(request, pk: int):
    _require(request, CURATE_PERMISSION)
    theme = get_object_or_404(EmergingTheme, pk=pk)
    stories = _story_rows(ThemeMembership.objects.filter(theme=theme))
    suggested = Counter(name.lower() for row in stories for name in row["suggested"])
    return render(
        request,
        "research/admin/theme_detail.html",
        {
            "theme": theme,
            "page_title": theme.display_name,
            "stories": stories,
            "suggested": suggested.most_common(),
            "quotes": theme.quotes.select_related("story"),
            "chart": growth_chart(theme, public=False),
            "merged_from": theme.merged_from.all(),
        },
    )


def unthemed(request):
    _require(request, CURATE_PERMISSION)
    return render(
        request,
        "research/admin/unthemed.html",
        {"page_title": "Stories that fit no theme", "stories": _story_rows(UnthemedStory.objects.all())},
    )


def merge(request, pk: int):
    _require(request, CURATE_PERMISSION)
    theme = get_object_or_404(EmergingTheme.objects.current(), pk=pk)
    form = MergeThemesForm(request.POST or None, theme=theme)
    if request.method == "POST" and form.is_valid():
        curation.merge_themes(theme, form.cleaned_data["others"])
        invalidate()
        messages.success(request, f"Merged {len(form.cleaned_data['others'])} theme(s) into “{theme.display_name}”.")
        return redirect("research_admin:theme", pk=theme.pk)
    return render(
        request, "research/admin/theme_form.html", {"theme": theme, "form": form, "page_title": "Merge themes"}
    )


def split(request, pk: int):
    _require(request, CURATE_PERMISSION)
    theme = get_object_or_404(EmergingTheme.objects.current(), pk=pk)
    choices = [
        (row["story"].pk, f"{row['story'].title}: {row['excerpt']}…")
        for row in _story_rows(ThemeMembership.objects.filter(theme=theme))
    ]
    form = SplitThemeForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        new_theme = curation.split_theme(theme, form.cleaned_data["stories"], name=form.cleaned_data["name"])
        invalidate()
        messages.success(request, "The chosen stories are now a theme of their own.")
        return redirect("research_admin:theme", pk=new_theme.pk)
    return render(
        request, "research/admin/theme_form.html", {"theme": theme, "form": form, "page_title": "Split this theme"}
    )


def research_stories(request):
    """Explore the stories whose contributors said yes to research use (including those for researchers only)."""
    _require(request, EXPLORE_PERMISSION)
    language = request.GET.get("language", "")[:12]
    contributions = research_contributions().select_related("story").order_by("-story__first_published_at")
    languages = sorted({code for code in contributions.values_list("story__language", flat=True)})
    if language:
        contributions = contributions.filter(story__language=language)
    memberships = {
        membership.story_id: membership.theme
        for membership in ThemeMembership.objects.filter(story__in=[c.story_id for c in contributions]).select_related(
            "theme"
        )
    }
    rows = [
        {
            "contribution": contribution,
            "story": contribution.story,
            "theme": memberships.get(contribution.story_id),
            "excerpt": " ".join(" ".join(contribution.story.paragraphs).split()[:EXCERPT_WORDS]),
        }
        for contribution in contributions
    ]
    return render(
        request,
        "research/admin/research_stories.html",
        {
            "page_title": "Research stories",
            "rows": rows,
            "languages": languages,
            "language": language,
            "exports": ResearchExport.objects.filter(exported_by=request.user)[:20],
        },
    )


@require_POST
def export(request):
    """Download the research stories (all, or one language's) as CSV or JSON; the export is recorded."""
    _require(request, EXPLORE_PERMISSION)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose CSV or JSON for the export.")
        return redirect("research_admin:stories")
    story_ids = None
    if form.cleaned_data["language"]:
        story_ids = list(
            research_contributions()
            .filter(story__language=form.cleaned_data["language"])
            .values_list("story_id", flat=True)
        )
    record, content = create_export(request.user, form.cleaned_data["format"], story_ids)
    content_type = "application/json" if record.format == ResearchExport.Format.JSON else "text/csv"
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    filename = f"voicebox-research-{timezone.localdate():%Y-%m-%d}-{record.pk}.{record.format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
