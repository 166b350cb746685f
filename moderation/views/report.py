from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..report import build_report


@require_GET
def moderation_report(request):
    """Live figures on what moderation decided, with the split for stories critical of services beside the rest."""
    report = build_report()
    return render(request, "moderation/report.html", {"report": report, "rows": report.rows()})
