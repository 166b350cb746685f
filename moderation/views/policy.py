from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import policy


@require_GET
def policy_page(request):
    """The published moderation policy, rendered from the same closed lists moderators choose from."""
    return render(
        request,
        "moderation/policy.html",
        {
            "version": policy.POLICY_VERSION,
            "history": policy.POLICY_HISTORY,
            "decline_reasons": policy.DECLINE_REASONS,
            "edit_reasons": policy.EDIT_REASONS,
            "pause_reasons": policy.PAUSE_REASONS,
            "never_grounds": policy.NEVER_GROUNDS,
            "labels": policy.REDACTION_LABELS,
        },
    )
