"""The moderators' admin screens: the queue, the review screen (player, transcript, redaction tools, actions, content
notes first) and the audit log of one story.

Every action goes through the workflow task's own rules (`Task.get_actions` / `on_action`), the same ones Wagtail's
dashboard uses, so a role that may not take an action gets 403 whichever way it asks. Templates escape everything a
contributor wrote: nothing here is marked safe.
"""

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from base.sections import REVIEW_SECTIONS, rendered_sections
from stories.media_delivery import STAFF_CACHE_CONTROL, MediaFile, is_verified_admin, may_review_story, serve_media
from transcription.services import failed_story_ids

from .. import policy, previews, publication, redaction, roles, takedown, workflows
from ..models import (
    AuditEvent,
    Contribution,
    ContributorReply,
    Decision,
    EditProposal,
    PaperScan,
    Publication,
    Redaction,
    SafeguardingConcern,
    StoryStatus,
)
from ..models.tasks import DeclineForm, ModerationTaskState, Stage
from ..state import (
    appeal_needs_reviewer,
    current_task_state,
    draft_proposal,
    latest_consent,
    story_paragraphs,
    story_transcript,
)

# A story being published stays in the queue until it is: a failed attempt needs a moderator to see it.
QUEUE_STATUSES = [StoryStatus.IN_MODERATION, StoryStatus.EDITS_PROPOSED, StoryStatus.APPEAL, StoryStatus.PUBLISHING]


def forbidden_as_403(view):
    """A refused action answers 403 (Wagtail would turn it into a redirect to the dashboard, hiding the refusal)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return render(request, "moderation/admin/forbidden.html", {"page_title": "Not for your role"}, status=403)

    return wrapped


class RedactionForm(forms.Form):
    """The words to remove. Selecting them in the story fills in where they are and their exact character range
    (`start`, `end`); without the selection script the moderator types words that appear once in that place."""

    where = forms.CharField(label="Where", widget=forms.Select)
    passage = forms.CharField(label="Words to remove, exactly as they appear", max_length=2000)
    start = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    code = forms.ChoiceField(label="Reason (from the published policy)", choices=policy.choices(policy.ReasonKind.EDIT))
    label = forms.ChoiceField(label="Replace with", choices=policy.label_choices())
    note = forms.CharField(label="Note for the contributor", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, places: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["where"].widget.choices = places

    def clean_where(self) -> tuple[str, int]:
        target, _, index = self.cleaned_data["where"].partition(":")
        if target not in Redaction.Target.values or not index.isdigit():
            raise forms.ValidationError("Choose a part of the story.")
        return target, int(index)


def _require_reviewer(request) -> None:
    if not roles.can_review(request.user):
        raise PermissionDenied


def _places(page) -> list[tuple[str, str]]:
    """The redaction form's choice of where: every text of the story a moderator may redact."""
    return [
        (f"{target}:{index}", redaction.place_label(target, index))
        for target, texts in redaction.redactable_texts(page).items()
        for index in range(len(texts))
    ]


@forbidden_as_403
@require_GET
def queue(request):
    _require_reviewer(request)
    contributions = (
        # A story whose recording could not be transcribed waits for no one else: moderators must see it.
        Contribution.objects.filter(
            Q(status__in=QUEUE_STATUSES) | Q(status=StoryStatus.PROCESSING, story_id__in=failed_story_ids()),
            story__isnull=False,
        )
        .select_related("story", "publication")
        .prefetch_related("story__storypage__content_notes")
        .order_by("submitted_at")
    )
    rows = []
    for contribution in contributions:
        task_state = current_task_state(contribution)
        rows.append(
            {
                "contribution": contribution,
                "story": contribution.story.specific,
                "stage": _stage(contribution, task_state),
                "actions": bool(_actions(contribution, request.user)),
                "publication": _publication(contribution),
                "transcription_failed": contribution.status == StoryStatus.PROCESSING,
            }
        )
    # A declined story leaves the workflow, but the contributor's reply to it must still reach a moderator.
    replies = (
        ContributorReply.objects.filter(decision__kind=Decision.Kind.DECLINE, contribution__status=StoryStatus.DECLINED)
        .select_related("contribution__story")
        .order_by("-sent_at")[:50]
    )
    return render(
        request,
        "moderation/admin/queue.html",
        {"rows": rows, "replies": replies, "page_title": "Stories to moderate"},
    )


def _stage(contribution: Contribution, task_state) -> str:
    if isinstance(task_state, ModerationTaskState):
        return task_state.specific.get_stage_display()
    return task_state.task.name if task_state else contribution.get_status_display()


def _publication(contribution: Contribution) -> Publication | None:
    """The publication under way (or failed), when the workflow has decided to publish the story."""
    return getattr(contribution, "publication", None) if contribution.status == StoryStatus.PUBLISHING else None


def _actions(contribution: Contribution, user) -> list[tuple[str, str, forms.Form | None]]:
    """The actions this user may take now, each with an empty form when it needs one."""
    task_state = current_task_state(contribution)
    if task_state is None:
        return []
    task = task_state.task.specific
    result = []
    for name, label, needs_form in task.get_actions(contribution.story, user):
        form_class = task.get_form_for_action(name) if needs_form else None
        result.append((name, label, form_class(prefix=name) if form_class else None))
    return result


def _replies_for(contribution: Contribution, user) -> list[ContributorReply]:
    """The contributor's answers: to a decline, for every reviewer; to a pause, for those handling safeguarding."""
    replies = contribution.replies.select_related("decision")
    if not roles.can_handle_safeguarding(user):
        replies = replies.exclude(decision__kind=Decision.Kind.PAUSE)
    return list(replies)


def _review_context(request, contribution: Contribution, **overrides) -> dict:
    page = contribution.story.specific.get_latest_revision_as_object()
    paragraphs, segments = story_paragraphs(page), story_transcript(page)
    task_state = current_task_state(contribution)
    proposals = contribution.proposals.prefetch_related("redactions")
    draft = proposals.filter(status=EditProposal.Status.DRAFT).first()
    concern = SafeguardingConcern.objects.filter(decision__contribution=contribution).first()
    context = {
        "page_title": "Review a story",
        "contribution": contribution,
        "story": page,
        "content_notes": list(page.content_notes.all()),
        "paragraphs": paragraphs,
        "segments": segments,
        "consent": latest_consent(contribution),
        # Who helped the person share (assisted sharing), and the paper kept privately with it: for moderators only.
        "assisted": AuditEvent.objects.filter(story_ref=contribution.story_id, action=AuditEvent.Action.ASSISTED)
        .select_related("staff_member")
        .first(),
        "paper_scans": list(contribution.paper_scans.all()),
        "task_state": task_state,
        "stage": _stage(contribution, task_state),
        "publication": _publication(contribution),
        "actions": _actions(contribution, request.user),
        "draft": draft,
        # What publishing with the draft would silence, and the preview that lets the moderator hear it.
        "draft_silenced": previews.silenced(draft) if draft else [],
        "draft_preview": previews.current_preview(draft) if draft else None,
        "margin_ms": round(redaction.SILENCE_MARGIN_SECONDS * 1000),
        "proposals": proposals.exclude(status=EditProposal.Status.DRAFT),
        "decisions": contribution.decisions.filter(kind=Decision.Kind.DECLINE).select_related("appeal"),
        # A safeguarding concern's details are for the people who handle the safeguarding route.
        "concern": concern if roles.can_handle_safeguarding(request.user) else None,
        "is_paused": isinstance(task_state, ModerationTaskState) and task_state.stage == Stage.PAUSED,
        "appeal_needs_reviewer": appeal_needs_reviewer(contribution),
        "critical_of_services": hasattr(contribution, "critical_of_services"),
        "replies": _replies_for(contribution, request.user),
        "redaction_form": RedactionForm(places=_places(page)),
        "media": page.media if page.media_id else None,
        # Staff unpublish only as a decision under the policy: a reason from the decline list, the passage, a note.
        "take_down_form": DeclineForm(prefix="take_down")
        if takedown.may_take_down(contribution, request.user)
        else None,
        # What other apps add for moderators (services: the services the contributor named).
        "more_sections": rendered_sections(REVIEW_SECTIONS, request, contribution.story.specific),
    }
    context.update(overrides)
    return context


@forbidden_as_403
@require_GET
def review(request, contribution_id: int):
    _require_reviewer(request)
    contribution = get_object_or_404(Contribution, pk=contribution_id, story__isnull=False)
    return render(request, "moderation/admin/review.html", _review_context(request, contribution))


@forbidden_as_403
@require_POST
def act(request, contribution_id: int, action: str):
    """Take one workflow action. Refused (403) unless the task offers this action to this user now."""
    _require_reviewer(request)
    contribution = get_object_or_404(Contribution, pk=contribution_id, story__isnull=False)
    task_state = current_task_state(contribution)
    if task_state is None:
        raise PermissionDenied
    task = task_state.task.specific
    offered = {name: needs_form for name, _, needs_form in task.get_actions(contribution.story, request.user)}
    if action not in offered:
        raise PermissionDenied
    data = {}
    if offered[action]:
        form = task.get_form_for_action(action)(request.POST, prefix=action)
        if not form.is_valid():
            actions = [(n, lbl, form if n == action else f) for n, lbl, f in _actions(contribution, request.user)]
            context = _review_context(request, contribution, actions=actions)
            return render(request, "moderation/admin/review.html", context, status=400)
        data = form.cleaned_data
    task.on_action(task_state, request.user, action, **data)
    messages.success(request, "Done. The story has moved on.")
    return redirect("moderation_admin:review", contribution_id=contribution.pk)


def _may_draft_edits(contribution: Contribution, user) -> bool:
    task_state = current_task_state(contribution)
    return isinstance(task_state, ModerationTaskState) and any(
        name in ("publish", "propose_edits") for name in workflows.available_actions(task_state, user)
    )


@forbidden_as_403
@require_POST
def add_redaction(request, contribution_id: int):
    _require_reviewer(request)
    contribution = get_object_or_404(Contribution, pk=contribution_id, story__isnull=False)
    if not _may_draft_edits(contribution, request.user):
        raise PermissionDenied
    page = contribution.story.specific.get_latest_revision_as_object()
    form = RedactionForm(request.POST, places=_places(page))
    if form.is_valid():
        target, index = form.cleaned_data["where"]
        try:
            drafted = redaction.add_draft_redaction(
                contribution,
                request.user,
                target=target,
                index=index,
                passage=form.cleaned_data["passage"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                code=form.cleaned_data["code"],
                label=form.cleaned_data["label"],
                note=form.cleaned_data["note"],
            )
        except redaction.PassageNotFound as problem:
            form.add_error("passage", str(problem))
        else:
            previews.request_preview(drafted.proposal)
            messages.success(request, "Change drafted. Send the changes to the contributor when you are ready.")
            return redirect("moderation_admin:review", contribution_id=contribution.pk)
    context = _review_context(request, contribution, redaction_form=form)
    return render(request, "moderation/admin/review.html", context, status=400)


@forbidden_as_403
@require_POST
def remove_redaction(request, contribution_id: int, redaction_id: int):
    _require_reviewer(request)
    contribution = get_object_or_404(Contribution, pk=contribution_id, story__isnull=False)
    if not _may_draft_edits(contribution, request.user):
        raise PermissionDenied
    redaction.remove_draft_redaction(contribution, redaction_id)
    if draft := draft_proposal(contribution):
        previews.request_preview(draft)
    return redirect("moderation_admin:review", contribution_id=contribution.pk)


@forbidden_as_403
@require_GET
def redaction_preview(request, contribution_id: int, proposal_id: int):
    """The recording with a proposal's words silenced: only for those who may review this story (404 for others,
    as for the private original)."""
    _require_reviewer(request)
    contribution = get_object_or_404(Contribution, pk=contribution_id, story__isnull=False)
    if not (is_verified_admin(request.user) and may_review_story(request.user, contribution.story.specific)):
        raise Http404
    return previews.preview_response(request, contribution.proposals.filter(pk=proposal_id).first())


@forbidden_as_403
@require_POST
def flag_critical(request, contribution_id: int):
    _require_reviewer(request)
    contribution = get_object_or_404(Contribution, pk=contribution_id, story__isnull=False)
    workflows.set_critical_of_services(contribution, request.user, request.POST.get("critical") == "yes")
    return redirect("moderation_admin:review", contribution_id=contribution.pk)


@forbidden_as_403
@require_POST
def retry_publication(request, contribution_id: int):
    """Start a failed (or stalled) publication again: the decision to publish stands, only carrying it out failed."""
    _require_reviewer(request)
    contribution = get_object_or_404(Contribution, pk=contribution_id, story__isnull=False)
    pending = _publication(contribution)
    if pending is None or not publication.retry_publication(pending):
        raise PermissionDenied
    messages.success(request, "Publishing again. This page shows how it goes.")
    return redirect("moderation_admin:review", contribution_id=contribution.pk)


@forbidden_as_403
@require_POST
def take_down(request, contribution_id: int):
    """A staff moderator takes a published story down, for a reason on the published policy (403 for anyone else)."""
    _require_reviewer(request)
    contribution = get_object_or_404(Contribution, pk=contribution_id, story__isnull=False)
    if not takedown.may_take_down(contribution, request.user):
        raise PermissionDenied
    form = DeclineForm(request.POST, prefix="take_down")
    if not form.is_valid():
        context = _review_context(request, contribution, take_down_form=form)
        return render(request, "moderation/admin/review.html", context, status=400)
    takedown.take_down(contribution, request.user, **form.cleaned_data)
    messages.success(request, "The story is no longer published. The contributor has been told why and may appeal.")
    return redirect("moderation_admin:review", contribution_id=contribution.pk)


@forbidden_as_403
@require_GET
def paper_scan(request, contribution_id: int, scan_id: int):
    """A photo or scan of paper kept with an assisted story (a signed consent form, the story on paper), for its
    reviewers only and never cached."""
    _require_reviewer(request)
    scan = get_object_or_404(PaperScan, pk=scan_id, contribution_id=contribution_id, contribution__story__isnull=False)
    picture = MediaFile(scan.file, "image/jpeg", f"voicebox-paper-{scan.pk}.jpg")
    return serve_media(request, picture, cache_control=STAFF_CACHE_CONTROL)


@forbidden_as_403
@require_GET
def audit_log(request, contribution_id: int):
    _require_reviewer(request)
    contribution = get_object_or_404(Contribution, pk=contribution_id, story__isnull=False)
    events = AuditEvent.objects.filter(story_ref=contribution.story_id)
    return render(
        request,
        "moderation/admin/audit_log.html",
        {"page_title": "Audit log", "contribution": contribution, "events": events},
    )
