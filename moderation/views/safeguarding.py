"""The safeguarding queue: stories paused because they disclose current risk, kept apart from the moderation queue
and open only to the staff who handle the safeguarding route."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import roles
from ..models import SafeguardingConcern
from .review import forbidden_as_403


@forbidden_as_403
@require_GET
def safeguarding_queue(request):
    if not roles.can_handle_safeguarding(request.user):
        raise PermissionDenied
    concerns = SafeguardingConcern.objects.select_related(
        "decision", "decision__contribution", "resolved_by"
    ).prefetch_related("decision__replies")
    return render(
        request,
        "moderation/admin/safeguarding_queue.html",
        {
            "page_title": "Safeguarding",
            "open_concerns": [c for c in concerns if c.status == SafeguardingConcern.Status.OPEN],
            "handled_concerns": [c for c in concerns if c.status == SafeguardingConcern.Status.RESOLVED][:50],
        },
    )
