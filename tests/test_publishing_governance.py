"""Only two things publish a story — the workflow's decision and the contributor accepting proposed edits — on every
path, superusers included: the page editor, bulk actions, history, revert, scheduled publishing, copy, move, the
admin API and management commands are all refused, and so is unpublishing outside a recorded decision."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from moderation import workflows
from moderation.models import AuditEvent, ConsentRecord, StoryStatus
from stories.governance import PublishingRefused, publishing_under_governance
from stories.models import StoryPage
from tests.factories import ConsentRecordFactory, ContributionFactory, StoryPageFactory, site_tree
from tests.moderators import make_user, moderator, sign_in
from tests.workers import run_queue

pytestmark = [pytest.mark.django_db, pytest.mark.ungoverned]


@pytest.fixture
def admin_client():
    return sign_in(make_user("root", superuser=True))


@pytest.fixture
def story():
    """A story in moderation: its words are the contributor's, no decision has been made."""
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution)
    workflows.start_moderation(contribution)
    return contribution.story.specific


@pytest.fixture
def live_story():
    with publishing_under_governance():
        page = StoryPageFactory(parent=site_tree()[1], live=True)
        page.save_revision().publish()
    return StoryPage.objects.get(pk=page.pk)


def is_live(page) -> bool:
    return StoryPage.objects.get(pk=page.pk).live


def editor_form(client, page) -> dict:
    return {
        "title": page.title,
        "slug": page.slug,
        "display_name": "Someone else",
        "body-count": "0",
        "story_format": "text",
        "language": "en",
        "show_media": "on",
        "action-publish": "action-publish",
    }


def sent_to_review_screen(response, page) -> bool:
    review = f"/admin/moderation/story/{page.contribution.pk}/"
    return response.status_code == 302 and response["Location"] == review


def test_the_editor_sends_superusers_to_the_review_screen_and_refuses_publish(admin_client, story):
    response = admin_client.get(f"/admin/pages/{story.pk}/edit/")
    assert sent_to_review_screen(response, story)
    assert "review screen" in admin_client.get(response["Location"]).content.decode()
    response = admin_client.post(f"/admin/pages/{story.pk}/edit/", editor_form(admin_client, story))
    assert sent_to_review_screen(response, story)
    assert not is_live(story)
    assert story.revisions.count() == 1  # not even a draft of someone else's words


def test_the_editor_offers_no_publish_or_unpublish_for_a_live_story(admin_client, live_story):
    response = admin_client.post(f"/admin/pages/{live_story.pk}/unpublish/")
    assert response.status_code == 302 and response["Location"] == "/admin/"  # Wagtail's "no permission"
    assert is_live(live_story)


def test_bulk_publish_and_unpublish_are_refused(admin_client, story, live_story):
    admin_client.post(f"/admin/bulk/wagtailcore/page/publish/?id={story.pk}", {"include_descendants": ""})
    admin_client.post(f"/admin/bulk/wagtailcore/page/unpublish/?id={live_story.pk}", {"include_descendants": ""})
    assert not is_live(story)
    assert is_live(live_story)


def test_publishing_a_revision_from_history_or_reverting_is_refused(admin_client, story):
    revision = story.latest_revision
    assert sent_to_review_screen(admin_client.get(f"/admin/pages/{story.pk}/revisions/{revision.pk}/revert/"), story)
    with pytest.raises(PublishingRefused, match="review screen"):
        revision.publish(user=admin_client.session and None)
    with pytest.raises(PublishingRefused):
        revision.publish(previous_revision=revision, skip_permission_checks=True)
    assert not is_live(story)


def test_scheduled_publishing_is_refused(story):
    revision = story.latest_revision
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])
    with pytest.raises(PublishingRefused):
        call_command("publish_scheduled")
    assert not is_live(story)


def test_copy_and_move_are_refused(admin_client, live_story):
    index = site_tree()[1]
    with pytest.raises(PublishingRefused):
        live_story.copy(to=index, update_attrs={"slug": "a-copy", "title": "A copy"}, keep_live=True)
    with pytest.raises(PublishingRefused):
        live_story.move(index, pos="last-child")
    for view in ("copy", "move"):
        response = admin_client.get(f"/admin/pages/{live_story.pk}/{view}/")
        assert response.status_code == 302 and response["Location"] == "/admin/"  # Wagtail's "no permission"
    assert StoryPage.objects.count() == 1


@pytest.mark.parametrize("action", ["publish", "unpublish", "copy", "move"])
def test_the_admin_api_actions_are_refused(admin_client, story, live_story, action):
    target = live_story if action == "unpublish" else story
    data = {"destination_page_id": site_tree()[1].pk} if action in ("copy", "move") else {}
    response = admin_client.post(
        f"/admin/api/main/pages/{target.pk}/action/{action}/", data, content_type="application/json"
    )
    assert response.status_code == 403
    assert not is_live(story)
    assert is_live(live_story)
    assert StoryPage.objects.count() == 2


def test_code_outside_governance_cannot_publish_or_unpublish(story, live_story):
    with pytest.raises(PublishingRefused):
        story.save_revision().publish(skip_permission_checks=True)
    with pytest.raises(PublishingRefused):
        live_story.unpublish()
    with pytest.raises(PublishingRefused):
        StoryPage(title="Out of nowhere", live=True).save()
    assert not is_live(story)
    assert is_live(live_story)


def test_the_workflow_decision_publishes(story, django_capture_on_commit_callbacks):
    """The real path, with nothing standing in for governance: a moderator's decision, carried out by the worker."""
    contribution = story.contribution
    with django_capture_on_commit_callbacks(execute=True):
        workflows.perform_action(story.current_workflow_task_state, moderator(), "publish")
    run_queue("publication")
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED
    assert is_live(story)
    decided, published = (
        AuditEvent.objects.get(story_ref=story.pk, action=action)
        for action in (AuditEvent.Action.PUBLICATION_DECIDED, AuditEvent.Action.PUBLISHED)
    )
    assert decided.actor_role == published.actor_role == AuditEvent.Actor.MODERATOR


def test_a_researchers_only_story_is_not_made_public_by_a_superuser(admin_client):
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution, audience=ConsentRecord.Audience.RESEARCHERS)
    workflows.start_moderation(contribution)
    response = admin_client.post(
        f"/admin/pages/{contribution.story_id}/edit/", editor_form(admin_client, contribution.story)
    )
    assert sent_to_review_screen(response, contribution.story.specific)
    assert not is_live(contribution.story)
