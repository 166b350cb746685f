"""`{% moderation_panel contribution key %}`: what moderation wants the contributor to see on /my-story/<key>/."""

from django import template

from moderation.models import Decision, EditProposal, StoryStatus
from moderation.state import appeal_needs_reviewer

register = template.Library()


@register.inclusion_tag("contributions/my_story/_moderation_panel.html")
def moderation_panel(contribution, key: str) -> dict:
    declines = contribution.decisions.filter(kind=Decision.Kind.DECLINE, status=Decision.Status.CONFIRMED)
    return {
        "key": key,
        "status": contribution.status,
        "statuses": StoryStatus,
        "decline": declines.select_related("appeal").first(),
        "has_edit_history": contribution.proposals.exclude(status=EditProposal.Status.DRAFT).exists(),
        "appeal_needs_reviewer": contribution.status == StoryStatus.APPEAL and appeal_needs_reviewer(contribution),
    }
