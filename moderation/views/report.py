from django.shortcuts import render
from django.views.decorators.http import require_GET

from base.sections import REPORT_SECTIONS, rendered_sections

from ..report import build_report


@require_GET
def moderation_report(request):
    """Live figures on what moderation decided, with the split for stories critical of services beside the rest."""
    report = build_report()
    context = {"report": report, "rows": report.rows(), "more_sections": rendered_sections(REPORT_SECTIONS, request)}
    return render(request, "moderation/report.html", context)
