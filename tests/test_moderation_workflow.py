"""The Voicebox workflow in Wagtail: set-up, the consent check, and each moderator action's rules."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import TaskState, WorkflowState

from moderation import roles, workflows
from moderation.models import ConsentCheckTask, ModerationTask, StoryStatus
from moderation.models.tasks import Stage
from tests.factories import ConsentRecordFactory, site_tree
from tests.moderators import moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def contribution():
    site_tree()
    record = ConsentRecordFactory()
    return record.contribution


def test_every_story_index_uses_the_voicebox_workflow(contribution):
    workflow = contribution.story.get_workflow()
    assert workflow.name == workflows.WORKFLOW_NAME
    assert [type(t.specific) for t in workflow.tasks] == [ConsentCheckTask, ModerationTask]
    assert set(Group.objects.values_list("name", flat=True)) >= {
        roles.MODERATORS,
        roles.PEER_MODERATORS,
        roles.RESEARCHERS,
    }


def test_a_complete_consent_passes_the_check_by_itself(contribution):
    workflows.start_moderation(contribution)
    contribution.refresh_from_db()
    task_state = contribution.story.current_workflow_task_state
    assert isinstance(task_state.task.specific, ModerationTask)
    assert task_state.stage == Stage.REVIEW
    assert contribution.status == StoryStatus.IN_MODERATION
    consent_state = TaskState.objects.get(task__name="Consent check")
    assert consent_state.status == TaskState.STATUS_APPROVED


def test_publish(contribution):
    mo = moderator()
    workflows.start_moderation(contribution)
    task_state = contribution.story.current_workflow_task_state
    assert workflows.available_actions(task_state, mo) == ["publish", "propose_decline", "pause"]
    workflows.perform_action(task_state, mo, "publish")
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED
    assert contribution.story.specific.live
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_APPROVED


def test_review_screen_smoke(contribution):
    from tests.moderators import sign_in

    mo = moderator()
    workflows.start_moderation(contribution)
    client = sign_in(mo)
    response = client.get(f"/admin/moderation/story/{contribution.pk}/")
    assert response.status_code == 200, response.content.decode()[:3000]
    response = client.get("/admin/moderation/")
    assert response.status_code == 200
    response = client.post(
        f"/admin/moderation/story/{contribution.pk}/redactions/",
        {
            "where": "body:0",
            "passage": "days",
            "occurrence": 1,
            "code": "identifies_third_party",
            "label": "name",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(f"/admin/moderation/story/{contribution.pk}/action/propose_edits/")
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.EDITS_PROPOSED
