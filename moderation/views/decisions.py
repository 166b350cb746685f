"""The contributor's side of proposed edits: before and after, then accept or reply (/my-story/<key>/edits/)."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import workflows
from ..models import EditProposal, Redaction
from ..state import sent_proposal, story_paragraphs, story_transcript
from .contributor import contribution_for_key

# Characters of the story shown either side of a change, so the person can see where it is.
CONTEXT_CHARACTERS = 90


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="Your reply",
        help_text="Tell the moderator what you would like instead. Your story is not published until you agree.",
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


def changes(redactions, paragraphs: list[str], segments: list[dict]) -> list[Change]:
    result = []
    for redaction in redactions:
        if redaction.target == Redaction.Target.BODY:
            text = paragraphs[redaction.index] if redaction.index < len(paragraphs) else ""
            where = f"Paragraph {redaction.index + 1}"
        else:
            text = segments[redaction.index]["text"] if redaction.index < len(segments) else ""
            where = f"Transcript, line {redaction.index + 1}"
        before = text[max(0, redaction.start - CONTEXT_CHARACTERS) : redaction.start]
        after = text[redaction.end : redaction.end + CONTEXT_CHARACTERS]
        result.append(
            Change(
                where=where,
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


@require_http_methods(["GET", "POST"])
def proposed_edits(request, key: str):
    contribution = contribution_for_key(request, key)
    page = contribution.story.specific.get_latest_revision_as_object()
    paragraphs, segments = story_paragraphs(page), story_transcript(page)
    proposal = sent_proposal(contribution)
    form = ReplyForm()
    if request.method == "POST" and proposal:
        try:
            if request.POST.get("answer") == "accept":
                workflows.accept_edits(contribution)
                messages.success(request, "Thank you. Your story is published with the changes you agreed to.")
                return redirect("moderation:my_story_edits", key=key)
            form = ReplyForm(request.POST)
            if form.is_valid():
                workflows.reply_to_edits(contribution, form.cleaned_data["reply"])
                messages.success(request, "Thank you. We've sent your reply to the moderator.")
                return redirect("moderation:my_story_edits", key=key)
        except workflows.NotNow:
            messages.info(request, "These changes have already been answered.")
            return redirect("moderation:my_story_edits", key=key)
    answered = contribution.proposals.exclude(status__in=[EditProposal.Status.DRAFT, EditProposal.Status.SENT])
    return render(
        request,
        "moderation/contributor/edits.html",
        {
            "key": key,
            "contribution": contribution,
            "proposal": proposal,
            "changes": changes(proposal.redactions.all(), paragraphs, segments) if proposal else [],
            "answered": [(p, changes(p.redactions.all(), paragraphs, segments)) for p in answered],
            "form": form,
        },
    )
