"""The Voicebox workflow in Wagtail: set-up, the consent check, Wagtail's own dashboard, and publication applying
the contributor's consent choices."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction, TaskState, WorkflowState

from moderation import roles, workflows
from moderation.models import AuditEvent, ConsentCheckTask, ConsentRecord, ModerationTask, StoryStatus
from moderation.models.tasks import Stage
from stories.models import StoryPage
from tests.factories import ConsentRecordFactory, ContributionFactory, StoryPageFactory, site_tree
from tests.moderators import action_url, moderator, sign_in
from tests.public_site import media
from tests.workers import run_queue

pytestmark = pytest.mark.django_db


def new_story(**consent) -> "workflows.Contribution":
    story = StoryPageFactory(parent=site_tree()[1], display_name="Sam Jones")
    contribution = ContributionFactory(story=story)
    ConsentRecordFactory(contribution=contribution, **consent)
    return contribution


def test_every_story_index_uses_the_voicebox_workflow_and_the_groups_exist():
    contribution = new_story()
    workflow = contribution.story.get_workflow()
    assert workflow.name == workflows.WORKFLOW_NAME
    assert [type(t.specific) for t in workflow.tasks] == [ConsentCheckTask, ModerationTask]
    assert {roles.MODERATORS, roles.PEER_MODERATORS, roles.RESEARCHERS} <= set(
        Group.objects.values_list("name", flat=True)
    )
    assert Group.objects.get(name=roles.PEER_MODERATORS).permissions.filter(codename="review_story").exists()
    assert not Group.objects.get(name=roles.PEER_MODERATORS).permissions.filter(codename="handle_safeguarding").exists()


def test_a_complete_consent_passes_the_check_by_itself():
    contribution = new_story()
    workflows.start_moderation(contribution)
    workflows.start_moderation(contribution)  # twice changes nothing
    contribution.refresh_from_db()
    task_state = contribution.story.current_workflow_task_state
    assert isinstance(task_state.task.specific, ModerationTask) and task_state.stage == Stage.REVIEW
    assert contribution.status == StoryStatus.IN_MODERATION
    assert TaskState.objects.get(task__name="Consent check").status == TaskState.STATUS_APPROVED
    assert WorkflowState.objects.count() == 1


def test_a_consent_that_matches_no_consent_text_waits_for_a_moderator():
    contribution = new_story(text_version_hash="0" * 64)
    workflows.start_moderation(contribution)
    task_state = contribution.story.current_workflow_task_state
    assert isinstance(task_state.task.specific, ConsentCheckTask)
    client = sign_in(moderator())
    review = client.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "Consent checked" in review
    assert client.post(action_url(contribution, "approve"), {"approve-comment": "Paper form seen."}).status_code == 302
    assert contribution.story.current_workflow_task_state.stage == Stage.REVIEW


def test_wagtails_dashboard_lists_stories_awaiting_this_moderators_review():
    contribution = new_story()
    workflows.start_moderation(contribution)
    dashboard = sign_in(moderator()).get("/admin/").content.decode()
    assert "Awaiting your review" in dashboard and contribution.story.title in dashboard


def test_publication_applies_anonymity_and_my_words_not_my_voice(django_capture_on_commit_callbacks):
    contribution = new_story(
        identity=ConsentRecord.Identity.ANONYMOUS, media_use=ConsentRecord.MediaUse.TRANSCRIPT_ONLY
    )
    story_media = media()
    StoryPage.objects.filter(pk=contribution.story_id).update(media=story_media, story_format="audio")
    contribution.story.refresh_from_db()
    contribution.story.save_revision()
    assert story_media.published_file  # made by the test helper; publication must remove it
    copy = Path(story_media.published_file.path)
    workflows.start_moderation(contribution)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.perform_action(contribution.story.current_workflow_task_state, moderator(), "publish")
    run_queue("publication")

    page = StoryPage.objects.get(pk=contribution.story_id)
    story_media.refresh_from_db()
    assert page.live and page.display_name == "" and page.show_media is False
    assert not story_media.published_file and not copy.exists()


def test_a_story_for_researchers_only_is_published_behind_the_researchers_group(
    client, django_capture_on_commit_callbacks
):
    contribution = new_story(audience=ConsentRecord.Audience.RESEARCHERS)
    workflows.start_moderation(contribution)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.perform_action(contribution.story.current_workflow_task_state, moderator(), "publish")
    run_queue("publication")
    page = StoryPage.objects.get(pk=contribution.story_id)
    restriction = PageViewRestriction.objects.get(page=page)
    assert list(restriction.groups.values_list("name", flat=True)) == [roles.RESEARCHERS]
    assert client.get(page.url).status_code in (302, 403)
    assert page not in StoryPage.objects.live().public()


def test_a_story_whose_consent_ended_while_waiting_cannot_be_published():
    contribution = new_story()
    workflows.start_moderation(contribution)
    ConsentRecord.objects.filter(contribution=contribution).update(expires_on=datetime.date.today())
    task_state = contribution.story.current_workflow_task_state
    assert workflows.available_actions(task_state, moderator()) == ["propose_decline", "pause"]


def test_the_audit_log_shows_each_step_in_words_and_records_only_registered_steps():
    contribution = new_story()
    workflows.start_moderation(contribution)
    html = sign_in(moderator()).get(f"/admin/moderation/story/{contribution.pk}/audit/").content.decode()
    assert "<td>Consent record checked</td>" in html and "consent_checked" not in html
    with pytest.raises(ValueError):
        AuditEvent.record(contribution.story_id, "made_up_step", AuditEvent.Actor.SYSTEM)
