"""The contributor's side of proposed edits: before and after, then accept or reply (/my-story/<key>/edits/); for a
recording, the moments that would be silenced and the recording as it would be published, to hear first."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from moderation import previews, workflows
from moderation.models import Contribution, EditProposal
from moderation.redaction import place_label, redactable_texts
from moderation.state import sent_proposal

from ..keys import opens_story

# Characters of the story shown either side of a change, so the person can see where it is.
CONTEXT_CHARACTERS = 90


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply"),
        help_text=_("Tell the moderator what you would like instead. Your story is not published until you agree."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )


@dataclass(frozen=True)
class Change:
    """One redaction as the contributor sees it: the words around it, what is removed, what replaces it."""

    where: str
    before: str
    removed: str
    placeholder: str
    after: str
    reason_title: str
    reason_explanation: str
    note: str


def changes(redactions, texts: dict[str, list[str]]) -> list[Change]:
    """Each redaction in the words around it; `texts` are the story's texts by target (redaction.redactable_texts)."""
    result = []
    for redaction in redactions:
        place = texts.get(redaction.target, [])
        text = place[redaction.index] if redaction.index < len(place) else ""
        before = text[max(0, redaction.start - CONTEXT_CHARACTERS) : redaction.start]
        after = text[redaction.end : redaction.end + CONTEXT_CHARACTERS]
        result.append(
            Change(
                where=place_label(redaction.target, redaction.index),
                before=("…" if redaction.start > CONTEXT_CHARACTERS else "") + before,
                removed=redaction.passage,
                placeholder=redaction.placeholder,
                after=after + ("…" if redaction.end + CONTEXT_CHARACTERS < len(text) else ""),
                reason_title=redaction.reason.title,
                reason_explanation=redaction.reason.explanation,
                note=redaction.note,
            )
        )
    return result


@opens_story
@require_http_methods(["GET", "POST"])
def proposed_edits(request, contribution: Contribution, key: str):
    texts = redactable_texts(contribution.story.specific.get_latest_revision_as_object())
    proposal = sent_proposal(contribution)
    form = ReplyForm()
    if request.method == "POST" and proposal:
        try:
            if request.POST.get("answer") == "accept":
                workflows.accept_edits(contribution)
                messages.success(request, gettext("Thank you. Your story is published with the changes you agreed to."))
                return redirect("contributions:my_story_edits", key=key)
            form = ReplyForm(request.POST)
            if form.is_valid():
                workflows.reply_to_edits(contribution, form.cleaned_data["reply"])
                messages.success(request, gettext("Thank you. We've sent your reply to the moderator."))
                return redirect("contributions:my_story_edits", key=key)
        except workflows.NotNow:
            messages.info(request, gettext("These changes have already been answered."))
            return redirect("contributions:my_story_edits", key=key)
    answered = contribution.proposals.exclude(status__in=[EditProposal.Status.DRAFT, EditProposal.Status.SENT])
    return render(
        request,
        "contributions/my_story/edits.html",
        {
            "key": key,
            "contribution": contribution,
            "proposal": proposal,
            "changes": changes(proposal.redactions.all(), texts) if proposal else [],
            "answered": [(p, changes(p.redactions.all(), texts)) for p in answered],
            "form": form,
            # The same silenced ranges and preview recording the moderator checked before sending the changes.
            "silenced": previews.silenced(proposal) if proposal else [],
            "preview": previews.current_preview(proposal) if proposal else None,
            "publishes_recording": contribution.story.specific.show_media,
        },
    )


@opens_story
@require_safe
def proposed_edits_recording(request, contribution: Contribution, key: str):
    """The recording with the proposed changes' words silenced, for the contributor deciding on them; 404 when no
    changes are waiting for them."""
    return previews.preview_response(request, sent_proposal(contribution))
