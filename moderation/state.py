"""Reading where a story is in moderation: small queries the workflow, notifications and views share."""

from wagtail.models import Page, TaskState

from stories.models import StoryPage
from transcription.models import Transcript

from . import roles
from .models import Appeal, ConsentRecord, Contribution, Decision, EditProposal


def contribution_for(page: Page) -> Contribution:
    return Contribution.objects.get(story_id=page.pk)


def current_task_state(contribution: Contribution) -> TaskState | None:
    page = contribution.story
    return page.current_workflow_task_state if page else None


def latest_consent(contribution: Contribution) -> ConsentRecord | None:
    return contribution.consents.order_by("-given_at", "-pk").first()


def pending_decline(contribution: Contribution) -> Decision | None:
    return contribution.decisions.filter(kind=Decision.Kind.DECLINE, status=Decision.Status.AWAITING_SECOND).first()


def open_appeal(contribution: Contribution) -> Appeal | None:
    return contribution.appeals.filter(status=Appeal.Status.OPEN).select_related("decision").first()


def involved_in_decline(decision: Decision) -> set[int]:
    """The moderators who proposed or confirmed a decline: an appeal against it goes to someone else."""
    return {pk for pk in (decision.made_by_id, decision.second_moderator_id) if pk}


def appeal_needs_reviewer(contribution: Contribution) -> bool:
    """Whether an open appeal has nobody to decide it: everyone who may review took part in the decline."""
    appeal = open_appeal(contribution)
    return bool(appeal) and not roles.appeal_reviewers(involved_in_decline(appeal.decision)).exists()


def draft_proposal(contribution: Contribution) -> EditProposal | None:
    return contribution.proposals.filter(status=EditProposal.Status.DRAFT).first()


def sent_proposal(contribution: Contribution) -> EditProposal | None:
    return contribution.proposals.filter(status=EditProposal.Status.SENT).first()


def story_paragraphs(page: StoryPage) -> list[str]:
    """The story text as it stands in the page's latest revision (pass the revision's object)."""
    return page.paragraphs


def story_transcript(page: StoryPage) -> list[dict]:
    """The transcript moderators review and redact: the contributor's checked version, else Whisper's, else the
    page's own copy."""
    transcript = Transcript.objects.filter(story_id=page.pk).first()
    return transcript.current_segments if transcript else list(page.transcript or [])
