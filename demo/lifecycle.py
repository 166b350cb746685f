"""Demo stories at every step of moderation, so a newcomer can try moderating at once.

Each is shared and moved along through the same functions a contributor's story and a moderator's decisions take
(contributions.submission.submit_story, moderation.redaction and moderation.workflows): one waiting for review, one
with edits proposed to its contributor, one declined and under appeal, one paused for safeguarding. A story is made
only when its idempotency key has not been used, so running load_demo again changes nothing. The decisions are made
by two demo moderators who cannot sign in (no usable password): the appeal is then for someone who took no part, such
as the local admin.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from contributions.submission import Submission, submit_story
from moderation import redaction, roles, workflows
from moderation.models import ConsentRecord, ConsentText, Contribution

DEMO_MODERATORS = ("demo-moderator-ash", "demo-moderator-bea")


@dataclass(frozen=True)
class StageStory:
    key: str  # the idempotency key: the story is made once
    title: str
    text: str
    move_along: Callable[[Contribution, list], None]


def _propose_edits(contribution: Contribution, moderators: list) -> None:
    redaction.add_draft_redaction(
        contribution,
        moderators[0],
        target="body",
        index=0,
        passage="Dr Hallam",
        code="identifies_third_party",
        label="name",
        note="A named doctor could be identified; the story stands without the name.",
    )
    _act(contribution, moderators[0], "propose_edits")


def _decline_and_appeal(contribution: Contribution, moderators: list) -> None:
    _act(
        contribution,
        moderators[0],
        "propose_decline",
        code="duplicate",
        passage="I sent this in before",
        note="Looks like a story already shared.",
    )
    _act(contribution, moderators[1], "confirm_decline", note="Agreed: it reads as the same story.")
    contribution.refresh_from_db()
    workflows.lodge_appeal(contribution, "It is not the same story: the first one was about my brother, this is mine.")


def _pause(contribution: Contribution, moderators: list) -> None:
    _act(
        contribution,
        moderators[0],
        "pause",
        passage="I have been saving my tablets",
        note="Current risk disclosed: the safeguarding route first.",
    )


STAGE_STORIES = [
    StageStory(
        "demo-stage-waiting",
        "The bus home after group",
        "Group was hard today. On the bus home I wrote this down so I would remember that I went anyway.\n\n"
        "Nobody said I had to talk. I listened, and that counted.",
        lambda contribution, moderators: None,
    ),
    StageStory(
        "demo-stage-edits",
        "The ward round",
        "On the ward round Dr Hallam talked about me as if I was not in the room.\n\n"
        "I asked to see my notes. It took six weeks, but I read them, and some of it was wrong.",
        _propose_edits,
    ),
    StageStory(
        "demo-stage-appeal",
        "Second time of asking",
        "I sent this in before, I think, but it was not really about me then.\n\n"
        "This is about the year I stopped pretending things were fine at work.",
        _decline_and_appeal,
    ),
    StageStory(
        "demo-stage-paused",
        "Tonight",
        "I do not know why I am writing this. Things have been very bad this week.\n\n"
        "I have been saving my tablets and I keep thinking about it.",
        _pause,
    ),
]


def _act(contribution: Contribution, user, action: str, **data) -> None:
    workflows.perform_action(contribution.story.current_workflow_task_state.specific, user, action, **data)


def demo_moderators() -> list:
    users = []
    for username in DEMO_MODERATORS:
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=roles.MODERATORS))
        users.append(user)
    return users


def ensure_stage_stories(consent_text: ConsentText) -> None:
    """Share each stage's story and move it to its stage, unless it was made before."""
    made = set(
        Contribution.objects.filter(idempotency_key__startswith="demo-stage-").values_list("idempotency_key", flat=True)
    )
    for story in STAGE_STORIES:
        if story.key in made:
            continue
        with transaction.atomic():
            submitted = submit_story(
                Submission(
                    title=story.title,
                    text=story.text,
                    media=None,
                    stated_language="en",
                    consent_text=consent_text,
                    audience=ConsentRecord.Audience.PUBLIC,
                    identity=ConsentRecord.Identity.ANONYMOUS,
                    media_use=ConsentRecord.MediaUse.PUBLISH_MEDIA,
                    research_use=False,
                    expires_on=None,
                    minimal_edits_preauthorised=False,
                    display_name="",
                    email="",
                    idempotency_key=story.key,
                )
            )
            story.move_along(submitted.contribution, demo_moderators())
