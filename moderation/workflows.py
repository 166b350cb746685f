"""The moderation workflow: how a story moves from review to published, declined or paused, and back.

The Wagtail tasks (`moderation.models.tasks`) ask this module which actions a user may take and hand the actions
here; `ACTIONS` is their one registry (label, form, step). Contributor answers (accepting edits, replying,
appealing) drive the same workflow. Every step records a content-free audit event and, where the contributor should
know, sends them a notification.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, TaskState, Workflow, WorkflowPage, WorkflowTask

from stories.models import StoryIndexPage

from . import notifications, roles
from .models import (
    Appeal,
    AuditEvent,
    ConsentText,
    Contribution,
    ContributorReply,
    CriticalOfServicesFlag,
    Decision,
    EditProposal,
    SafeguardingConcern,
    StoryStatus,
)
from .models.tasks import (
    ConsentCheckTask,
    DeclineForm,
    ModerationTask,
    ModerationTaskState,
    NoteForm,
    PauseForm,
    Stage,
)
from .state import (
    contribution_for,
    current_task_state,
    draft_proposal,
    involved_in_decline,
    latest_consent,
    open_appeal,
    pending_decline,
    sent_proposal,
)

WORKFLOW_NAME = "Voicebox moderation"


def record(contribution: Contribution, action: AuditEvent.Action, user=None, policy_code: str = "") -> None:
    # The audit log refers to a story by its page id, as the share flow and erasure do.
    AuditEvent.record(contribution.story_id, action, AuditEvent.actor_for(user), policy_code)


# --- Setting the workflow up ------------------------------------------------------------------------------------


def ensure_story_workflow() -> Workflow:
    """The Voicebox workflow (consent check, then moderation), assigned to every story index page. Idempotent."""
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    tasks = [
        ConsentCheckTask.objects.get_or_create(name="Consent check")[0],
        ModerationTask.objects.get_or_create(name="Moderation")[0],
    ]
    for order, task in enumerate(tasks):
        WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    for index_page in StoryIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": workflow})
    return workflow


# --- Reading a story's state --------------------------------------------------------------------------------------


def consent_problem(page: Page) -> str | None:
    """Why this story's consent is not good enough to moderate yet, or None when it is."""
    contribution = Contribution.objects.filter(story_id=page.pk).first()
    if contribution is None:
        return "This page has no contribution record."
    consent = latest_consent(contribution)
    if consent is None:
        return "There is no consent record."
    if consent.text_version_hash not in _known_hashes(consent.consent_text):
        return "The consent record does not match any version of the consent text."
    if consent.expires_on and consent.expires_on <= timezone.localdate():
        return "The consent has expired."
    return None


def _known_hashes(consent_text: ConsentText) -> set[str]:
    hashes = {consent_text.version_hash}
    for revision in consent_text.revisions.all():
        hashes.add(revision.as_object().version_hash)
    return hashes


def record_consent_checked(page: Page) -> None:
    record(contribution_for(page), AuditEvent.Action.CONSENT_CHECKED)


def stage_for_new_review(page: Page) -> str:
    return Stage.APPEAL if open_appeal(contribution_for(page)) else Stage.REVIEW


def may_decide_appeal(appeal: Appeal, user) -> bool:
    return roles.appeal_reviewers(involved_in_decline(appeal.decision)).filter(pk=user.pk).exists()


def available_actions(task_state: ModerationTaskState, user) -> list[str]:
    """The actions this user may take on this story now; everything else is refused (403) by direct URL too."""
    if not roles.can_review(user):
        return []
    contribution = contribution_for(task_state.workflow_state.content_object)
    consent = latest_consent(contribution)
    if consent and consent.expires_on and consent.expires_on <= timezone.localdate():
        # The contributor's consent ended while the story waited: it can no longer be published.
        edit_or_publish = []
    else:
        edit_or_publish = ["propose_edits" if draft_proposal(contribution) else "publish"]
    match task_state.stage:
        case Stage.REVIEW:
            return [*edit_or_publish, "propose_decline", "pause"]
        case Stage.APPEAL:
            appeal = open_appeal(contribution)
            may_decide = appeal and may_decide_appeal(appeal, user)
            return [*edit_or_publish, "uphold_decline", "pause"] if may_decide else []
        case Stage.DECLINE_PROPOSED:
            decision = pending_decline(contribution)
            # Two people decide a decline: the moderator who proposed it cannot confirm it.
            second = ["confirm_decline", "overturn_decline"] if decision and decision.made_by_id != user.pk else []
            return [*second, "pause"]
        case Stage.WITH_CONTRIBUTOR:
            return ["pause"]
        case Stage.PAUSED:
            return ["resume"] if roles.can_handle_safeguarding(user) else []
    return []


def reviewable_task_state_ids(task: ModerationTask, user) -> list[int]:
    """Task states waiting for this user (Wagtail's "awaiting your review"). Safeguarding has its own queue, and a
    story waiting for its contributor waits for nobody here."""
    states = ModerationTaskState.objects.filter(
        task=task, status=TaskState.STATUS_IN_PROGRESS, stage__in=[Stage.REVIEW, Stage.DECLINE_PROPOSED, Stage.APPEAL]
    ).select_related("workflow_state")
    return [state.pk for state in states if set(available_actions(state, user)) - {"pause"}]


# --- Starting moderation -------------------------------------------------------------------------------------------


@transaction.atomic
def start_moderation(contribution: Contribution, user=None) -> None:
    """Send a story into the workflow: consent check, then moderation. Safe to call twice."""
    page = contribution.story.specific
    if page.workflow_in_progress:
        return
    if page.latest_revision_id is None:
        page.save_revision(log_action=False)
    workflow = page.get_workflow() or ensure_story_workflow()
    _set_status(contribution, StoryStatus.IN_MODERATION)
    workflow.start(page, user)


# --- Moderator actions ---------------------------------------------------------------------------------------------


def perform_action(task_state: ModerationTaskState, user, action: str, **data) -> None:
    if action not in available_actions(task_state, user):
        raise PermissionDenied
    contribution = contribution_for(task_state.workflow_state.content_object)
    with transaction.atomic():
        ACTIONS[action].perform(task_state, contribution, user, **data)


def _set_stage(task_state: ModerationTaskState, stage: str) -> None:
    task_state.stage = stage
    task_state.save(update_fields=["stage"])


def _set_status(contribution: Contribution, status: str) -> None:
    contribution.status = status
    contribution.save(update_fields=["status", "status_changed_at"])


def _publish(task_state, contribution, user):
    appeal = open_appeal(contribution)
    if appeal:
        _close_appeal(appeal, Appeal.Status.PUBLISHED, user, "Published.")
        record(contribution, AuditEvent.Action.APPEAL_PUBLISHED, user)
    # Approving the last task finishes the workflow, whose finish action records the decision and has the worker
    # publish under governance (moderation.publication.finish_workflow).
    task_state.approve(user=user)


def _propose_edits(task_state, contribution, user):
    proposal = draft_proposal(contribution)
    proposal.status = EditProposal.Status.SENT
    proposal.sent_at = timezone.now()
    proposal.save(update_fields=["status", "sent_at"])
    for code in sorted({r.code for r in proposal.redactions.all()}):
        record(contribution, AuditEvent.Action.EDITS_PROPOSED, user, code)
    appeal = open_appeal(contribution)
    if appeal:
        _close_appeal(appeal, Appeal.Status.EDITS_PROPOSED, user, "Published once you agree to the edits.")
        record(contribution, AuditEvent.Action.APPEAL_EDITS, user)
    consent = latest_consent(contribution)
    if consent and consent.minimal_edits_preauthorised and proposal.only_identifying_details:
        # The contributor said minimal edits removing identifying details need not wait for them.
        proposal.status = EditProposal.Status.PREAUTHORISED
        proposal.answered_at = timezone.now()
        proposal.save(update_fields=["status", "answered_at"])
        record(contribution, AuditEvent.Action.EDITS_PREAUTHORISED, user)
        task_state.approve(user=user)
        return
    _set_stage(task_state, Stage.WITH_CONTRIBUTOR)
    _set_status(contribution, StoryStatus.EDITS_PROPOSED)
    notifications.notify(contribution, "edits_proposed", proposal=proposal)


def _propose_decline(task_state, contribution, user, code, passage, note):
    Decision.objects.create(
        contribution=contribution,
        kind=Decision.Kind.DECLINE,
        code=code,
        passage=passage,
        note=note,
        made_by=user,
        status=Decision.Status.AWAITING_SECOND,
    )
    _set_stage(task_state, Stage.DECLINE_PROPOSED)
    record(contribution, AuditEvent.Action.DECLINE_PROPOSED, user, code)
    notifications.notify_reviewers_second_opinion(task_state)


def _second_opinion(decision: Decision, user, status: str, note: str) -> None:
    decision.status = status
    decision.second_moderator = user
    decision.second_at = timezone.now()
    decision.second_note = note
    decision.save(update_fields=["status", "second_moderator", "second_at", "second_note"])


def _confirm_decline(task_state, contribution, user, note):
    decision = pending_decline(contribution)
    _second_opinion(decision, user, Decision.Status.CONFIRMED, note)
    task_state.reject(user=user, comment=f"Declined: {decision.reason.title}")
    _set_status(contribution, StoryStatus.DECLINED)
    record(contribution, AuditEvent.Action.DECLINED, user, decision.code)
    notifications.notify(contribution, "declined", decision=decision)


def _overturn_decline(task_state, contribution, user, note):
    decision = pending_decline(contribution)
    _second_opinion(decision, user, Decision.Status.OVERTURNED, note)
    _set_stage(task_state, Stage.REVIEW)
    record(contribution, AuditEvent.Action.DECLINE_OVERTURNED, user, decision.code)


def _pause(task_state, contribution, user, passage, note):
    decision = Decision.objects.create(
        contribution=contribution,
        kind=Decision.Kind.PAUSE,
        code="current_risk",
        passage=passage,
        note=note,
        made_by=user,
        status=Decision.Status.CONFIRMED,
    )
    SafeguardingConcern.objects.create(decision=decision, resume_stage=task_state.stage)
    _set_stage(task_state, Stage.PAUSED)
    _set_status(contribution, StoryStatus.PAUSED)
    record(contribution, AuditEvent.Action.PAUSED, user, decision.code)
    notifications.notify(contribution, "safeguarding")
    notifications.notify_safeguarding_leads(contribution)


_STATUS_FOR_STAGE = {
    Stage.REVIEW: StoryStatus.IN_MODERATION,
    Stage.DECLINE_PROPOSED: StoryStatus.IN_MODERATION,
    Stage.WITH_CONTRIBUTOR: StoryStatus.EDITS_PROPOSED,
    Stage.APPEAL: StoryStatus.APPEAL,
}


def _resume(task_state, contribution, user, note):
    concern = SafeguardingConcern.objects.get(
        decision__contribution=contribution, status=SafeguardingConcern.Status.OPEN
    )
    concern.status = SafeguardingConcern.Status.RESOLVED
    concern.resolved_by = user
    concern.resolved_at = timezone.now()
    concern.resolution_note = note
    concern.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    _set_stage(task_state, concern.resume_stage)
    _set_status(contribution, _STATUS_FOR_STAGE[concern.resume_stage])
    record(contribution, AuditEvent.Action.SAFEGUARDING_HANDLED, user)


def _close_appeal(appeal: Appeal, status: str, user, note: str) -> None:
    appeal.status = status
    appeal.decided_by = user
    appeal.decided_at = timezone.now()
    appeal.outcome_note = note
    appeal.save(update_fields=["status", "decided_by", "decided_at", "outcome_note"])


def _uphold_decline(task_state, contribution, user, note):
    appeal = open_appeal(contribution)
    _close_appeal(appeal, Appeal.Status.DECLINE_UPHELD, user, note)
    task_state.reject(user=user, comment="The decline stands after appeal.")
    _set_status(contribution, StoryStatus.DECLINED)
    record(contribution, AuditEvent.Action.APPEAL_DECLINE_UPHELD, user, appeal.decision.code)
    notifications.notify(contribution, "appeal_outcome", appeal=appeal)


@dataclass(frozen=True)
class WorkflowAction:
    """One thing a moderator can do to a story under review: the button's label, the form it asks for (None: a
    plain button) and the step itself. The Wagtail task offers these; `available_actions` says who may take which."""

    label: str
    perform: Callable[..., None]
    form: type[forms.Form] | None = None


ACTIONS: dict[str, WorkflowAction] = {
    "publish": WorkflowAction("Publish", _publish),
    "propose_edits": WorkflowAction("Send the proposed edits to the contributor", _propose_edits),
    "propose_decline": WorkflowAction(
        "Propose a decline (a second moderator must confirm)", _propose_decline, DeclineForm
    ),
    "pause": WorkflowAction("Pause for safeguarding", _pause, PauseForm),
    "confirm_decline": WorkflowAction("Confirm the decline", _confirm_decline, NoteForm),
    "overturn_decline": WorkflowAction("Don't decline: back to review", _overturn_decline, NoteForm),
    "resume": WorkflowAction("Safeguarding handled: back to moderation", _resume, NoteForm),
    "uphold_decline": WorkflowAction("Keep the decline", _uphold_decline, NoteForm),
}


def set_critical_of_services(contribution: Contribution, user, flagged: bool) -> None:
    """A moderator's classification for the public report; never a reason for any decision."""
    if flagged:
        _, created = CriticalOfServicesFlag.objects.get_or_create(
            contribution=contribution, defaults={"flagged_by": user}
        )
        if created:
            record(contribution, AuditEvent.Action.FLAGGED_CRITICAL, user)
    elif CriticalOfServicesFlag.objects.filter(contribution=contribution).delete()[0]:
        record(contribution, AuditEvent.Action.UNFLAGGED_CRITICAL, user)


# --- The contributor's answers -------------------------------------------------------------------------------------


class NotNow(Exception):
    """The story is not at a stage where this answer applies (for example the edits were already answered)."""


def _task_state_at(contribution: Contribution, stage: str) -> ModerationTaskState:
    task_state = current_task_state(contribution)
    if not isinstance(task_state, ModerationTaskState) or task_state.stage != stage:
        raise NotNow
    return task_state


@transaction.atomic
def accept_edits(contribution: Contribution) -> None:
    """The contributor agrees to the proposed edits: the story is published with them (by the same path as a
    moderator's decision to publish)."""
    task_state = _task_state_at(contribution, Stage.WITH_CONTRIBUTOR)
    proposal = sent_proposal(contribution)
    proposal.status = EditProposal.Status.ACCEPTED
    proposal.answered_at = timezone.now()
    proposal.save(update_fields=["status", "answered_at"])
    record(contribution, AuditEvent.Action.EDITS_ACCEPTED)
    task_state.approve(user=None, comment="The contributor accepted the edits.")


@transaction.atomic
def reply_to_edits(contribution: Contribution, message: str) -> None:
    """The contributor answers the proposed edits instead of accepting them: back to a moderator, with the reply."""
    task_state = _task_state_at(contribution, Stage.WITH_CONTRIBUTOR)
    proposal = sent_proposal(contribution)
    proposal.status = EditProposal.Status.REPLIED
    proposal.reply = message
    proposal.answered_at = timezone.now()
    proposal.save(update_fields=["status", "reply", "answered_at"])
    _set_stage(task_state, Stage.REVIEW)
    _set_status(contribution, StoryStatus.IN_MODERATION)
    record(contribution, AuditEvent.Action.EDITS_REPLIED)


def appealable_decline(contribution: Contribution) -> Decision | None:
    """The confirmed decline the contributor may still appeal (one appeal per decline)."""
    if contribution.status != StoryStatus.DECLINED:
        return None
    decision = contribution.decisions.filter(kind=Decision.Kind.DECLINE, status=Decision.Status.CONFIRMED).first()
    if decision is None or Appeal.objects.filter(decision=decision).exists():
        return None
    return decision


@transaction.atomic
def lodge_appeal(contribution: Contribution, message: str) -> Appeal:
    """The contributor appeals a decline: the story goes back to moderation, to someone who took no part in it."""
    decision = appealable_decline(contribution)
    if decision is None:
        raise NotNow
    appeal = Appeal.objects.create(contribution=contribution, decision=decision, message=message)
    if workflow_state := contribution.story.current_workflow_state:
        workflow_state.resume(user=None)
    else:
        # A story taken down after publication has no workflow under way: its appeal starts moderation afresh,
        # which opens at the appeal stage (stage_for_new_review).
        start_moderation(contribution)
    _set_status(contribution, StoryStatus.APPEAL)
    record(contribution, AuditEvent.Action.APPEAL_LODGED)
    return appeal


# The story's state each reply answers, and the decision it answers there.
REPLY_TO = {StoryStatus.DECLINED: Decision.Kind.DECLINE, StoryStatus.PAUSED: Decision.Kind.PAUSE}


def decision_to_answer(contribution: Contribution) -> Decision | None:
    """The confirmed decline or the pause the contributor may answer now; None at any other stage."""
    kind = REPLY_TO.get(contribution.status)
    if kind is None:
        return None
    return contribution.decisions.filter(kind=kind, status=Decision.Status.CONFIRMED).first()


@transaction.atomic
def reply_to_decision(contribution: Contribution, message: str, quick_answers: list[str] = ()) -> ContributorReply:
    """The contributor answers a decline (besides any appeal) or a safeguarding pause. The story stays where it is:
    the reply reaches the people who decided (the moderation queue, or the safeguarding queue for a pause)."""
    decision = decision_to_answer(contribution)
    if decision is None:
        raise NotNow
    reply = ContributorReply.objects.create(
        contribution=contribution, decision=decision, message=message, quick_answers=list(quick_answers)
    )
    action = (
        AuditEvent.Action.PAUSE_ANSWERED if decision.kind == Decision.Kind.PAUSE else AuditEvent.Action.DECLINE_REPLIED
    )
    AuditEvent.record(contribution.story_id, action, AuditEvent.Actor.CONTRIBUTOR)
    return reply


def mark_critical_by_contributor(contribution: Contribution, marked: bool) -> None:
    """The contributor's own word that their story criticises a service, for the public report's split."""
    if contribution.marked_critical_by_contributor == marked:
        return
    contribution.marked_critical_by_contributor = marked
    contribution.save(update_fields=["marked_critical_by_contributor"])
    action = AuditEvent.Action.MARKED_CRITICAL if marked else AuditEvent.Action.UNMARKED_CRITICAL
    AuditEvent.record(contribution.story_id, action, AuditEvent.Actor.CONTRIBUTOR)
