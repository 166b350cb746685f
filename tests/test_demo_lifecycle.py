"""load_demo adds stories at every step of moderation, made through the workflow itself, once; a superuser who
tries to publish any of them from Wagtail's page editor is sent to the review screen and nothing is published."""

import io

import pytest
from django.core.management import call_command

from demo.lifecycle import STAGE_STORIES
from moderation.models import AuditEvent, Contribution, EditProposal, StoryStatus
from stories.models import StoryPage
from tests.moderators import make_user, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.ungoverned]


def load_demo() -> None:
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())


def stage_stories() -> dict[str, Contribution]:
    return {c.idempotency_key: c for c in Contribution.objects.filter(idempotency_key__startswith="demo-stage-")}


def test_load_demo_adds_a_story_at_every_step_of_moderation_once():
    load_demo()
    stories = stage_stories()
    assert {key: c.status for key, c in stories.items()} == {
        "demo-stage-waiting": StoryStatus.IN_MODERATION,
        "demo-stage-edits": StoryStatus.EDITS_PROPOSED,
        "demo-stage-appeal": StoryStatus.APPEAL,
        "demo-stage-paused": StoryStatus.PAUSED,
    }
    assert stories["demo-stage-edits"].proposals.get().status == EditProposal.Status.SENT
    assert AuditEvent.objects.filter(
        story_ref=stories["demo-stage-appeal"].story_id, action=AuditEvent.Action.APPEAL_LODGED
    ).exists()
    assert not StoryPage.objects.filter(pk__in=[c.story_id for c in stories.values()], live=True).exists()

    counts = (Contribution.objects.count(), StoryPage.objects.count(), AuditEvent.objects.count())
    load_demo()
    assert (Contribution.objects.count(), StoryPage.objects.count(), AuditEvent.objects.count()) == counts


def test_a_superuser_cannot_publish_a_demo_story_from_the_page_editor():
    load_demo()
    admin = sign_in(make_user("root", superuser=True))
    stories = stage_stories()
    assert len(stories) == len(STAGE_STORIES)
    for contribution in stories.values():
        page = contribution.story
        response = admin.post(
            f"/admin/pages/{page.pk}/edit/",
            {"title": page.title, "slug": page.slug, "body-count": "0", "action-publish": "action-publish"},
        )
        assert response.status_code == 302
        assert response["Location"] == f"/admin/moderation/story/{contribution.pk}/"
        assert not StoryPage.objects.get(pk=page.pk).live
        contribution.refresh_from_db()
        assert contribution.status != StoryStatus.PUBLISHED
