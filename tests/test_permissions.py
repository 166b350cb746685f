"""Each role may do only what it is for: everything else is refused with 403 by direct URL, and a story key opens
its own story only."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from moderation import roles, workflows
from moderation.models import Contribution, StoryStatus
from moderation.models.tasks import Stage
from stories.models import StoryPage
from tests.factories import ConsentRecordFactory, ContributionFactory, StoryPageFactory, site_tree
from tests.moderators import action_url, make_user, moderator, peer_moderator, sign_in

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}  # Wagtail answers 403 (not a redirect) to script requests


@pytest.fixture(autouse=True)
def setup():
    cache.clear()
    site_tree()


def story_in_review(text: str = "My story, in my words.") -> Contribution:
    story = StoryPageFactory(parent=site_tree()[1], body=[("paragraph", text)])
    contribution = ContributionFactory(story=story)
    ConsentRecordFactory(contribution=contribution)
    workflows.start_moderation(contribution)
    return contribution


def stage(contribution: Contribution) -> str:
    return StoryPage.objects.get(pk=contribution.story_id).current_workflow_task_state.stage


def staff_without_a_role():
    user = make_user("staff")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


ACTION_DATA = {
    "publish": {},
    "propose_edits": {},
    "propose_decline": {
        "propose_decline-code": "duplicate",
        "propose_decline-passage": "My story",
        "propose_decline-note": "Seen before.",
    },
    "pause": {"pause-passage": "My story", "pause-note": "Worried."},
    "confirm_decline": {"confirm_decline-note": "Agreed."},
    "overturn_decline": {"overturn_decline-note": "No."},
    "resume": {"resume-note": "Handled."},
    "uphold_decline": {"uphold_decline-note": "It stands."},
}


@pytest.mark.parametrize("action", sorted(ACTION_DATA))
def test_staff_without_a_moderator_role_cannot_see_or_act(action):
    contribution = story_in_review()
    client = sign_in(staff_without_a_role())
    assert client.get("/admin/moderation/").status_code == 403
    assert client.get(f"/admin/moderation/story/{contribution.pk}/").status_code == 403
    assert client.get(f"/admin/moderation/story/{contribution.pk}/audit/").status_code == 403
    assert client.post(action_url(contribution, action), ACTION_DATA[action]).status_code == 403
    assert stage(contribution) == Stage.REVIEW


@pytest.mark.parametrize("action", ["confirm_decline", "overturn_decline", "resume", "uphold_decline", "propose_edits"])
@pytest.mark.parametrize("role", ["moderator", "peer"])
def test_actions_that_do_not_belong_to_the_stage_are_refused(action, role):
    contribution = story_in_review()
    user = moderator() if role == "moderator" else peer_moderator()
    response = sign_in(user).post(action_url(contribution, action), ACTION_DATA[action])
    assert response.status_code == 403
    assert stage(contribution) == Stage.REVIEW


def test_the_safeguarding_route_is_for_staff_moderators_only():
    contribution = story_in_review()
    peer = sign_in(peer_moderator())
    assert peer.post(action_url(contribution, "pause"), ACTION_DATA["pause"]).status_code == 302
    assert stage(contribution) == Stage.PAUSED

    assert peer.get("/admin/moderation/safeguarding/").status_code == 403
    assert peer.post(action_url(contribution, "resume"), ACTION_DATA["resume"]).status_code == 403
    # A peer moderator sees the story is paused, but not the safeguarding notes.
    review = peer.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "Paused for safeguarding" in review and "Worried." not in review

    lead = sign_in(moderator())
    assert lead.get("/admin/moderation/safeguarding/").status_code == 200
    assert lead.post(action_url(contribution, "resume"), ACTION_DATA["resume"]).status_code == 302
    assert stage(contribution) == Stage.REVIEW


def test_crisis_signposting_and_consent_texts_are_edited_by_staff_moderators_only():
    peer = sign_in(peer_moderator())
    lead = sign_in(moderator())
    settings_url = "/admin/settings/base/crisissignposting/"
    assert peer.get(settings_url, **XHR).status_code == 403
    assert lead.get(settings_url, follow=True).status_code == 200
    assert peer.get("/admin/snippets/moderation/consenttext/", **XHR).status_code == 403
    assert lead.get("/admin/snippets/moderation/consenttext/").status_code == 200


def test_a_moderator_cannot_confirm_their_own_decline_by_any_url():
    contribution = story_in_review()
    proposer = moderator("proposer")
    client = sign_in(proposer)
    assert client.post(action_url(contribution, "propose_decline"), ACTION_DATA["propose_decline"]).status_code == 302
    assert client.post(action_url(contribution, "confirm_decline"), ACTION_DATA["confirm_decline"]).status_code == 403
    # Wagtail's own workflow action URL asks the same task, so it refuses too.
    page = StoryPage.objects.get(pk=contribution.story_id)
    task_state = page.current_workflow_task_state
    wagtail_url = f"/admin/pages/workflow/action/{page.pk}/confirm_decline/{task_state.pk}/"
    assert client.post(wagtail_url, ACTION_DATA["confirm_decline"], **XHR).status_code == 403
    assert stage(contribution) == Stage.DECLINE_PROPOSED
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.IN_MODERATION


def test_an_appeal_cannot_be_decided_by_the_moderators_who_declined():
    contribution = story_in_review()
    first, second = moderator("first"), moderator("second")
    sign_in(first).post(action_url(contribution, "propose_decline"), ACTION_DATA["propose_decline"])
    sign_in(second).post(action_url(contribution, "confirm_decline"), ACTION_DATA["confirm_decline"])
    contribution.refresh_from_db()
    workflows.lodge_appeal(contribution, "Please look again.")
    assert stage(contribution) == Stage.APPEAL

    for user in (first, second):
        client = sign_in(user)
        for action in ("publish", "uphold_decline"):
            assert client.post(action_url(contribution, action), ACTION_DATA[action]).status_code == 403
    # With no peer moderator free, another staff moderator decides it.
    assert (
        sign_in(moderator("third"))
        .post(action_url(contribution, "uphold_decline"), ACTION_DATA["uphold_decline"])
        .status_code
        == 302
    )
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.DECLINED


@pytest.mark.parametrize("role", ["moderator", "peer"])
def test_moderators_cannot_publish_or_edit_a_story_outside_the_workflow(role):
    contribution = story_in_review()
    page = StoryPage.objects.get(pk=contribution.story_id)
    user = moderator() if role == "moderator" else peer_moderator()
    client = sign_in(user)
    # Wagtail's editor is read-only for them (every edit is a proposal the contributor sees), and there is no
    # publish permission: the workflow's approval is the only way to publish.
    client.post(
        f"/admin/pages/{page.pk}/edit/",
        {"title": "Changed", "slug": page.slug, "action-publish": "publish", "body-count": "0"},
    )
    assert client.post(f"/admin/pages/{page.pk}/unpublish/", **XHR).status_code == 403
    client.post(f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}")
    # Wagtail's default "Moderators" group starts with page permissions on the whole tree; ours has none.
    permissions = page.permissions_for_user(user)
    assert not permissions.can_publish() and not permissions.can_unpublish() and not permissions.can_delete()
    assert client.get("/admin/workflows/list/", **XHR).status_code == 403
    assert client.get("/admin/users/", **XHR).status_code == 403
    page.refresh_from_db()
    assert not page.live and page.title != "Changed" and page.draft_title != "Changed"


def test_a_story_key_opens_its_own_story_only(client):
    mine = story_in_review("Mine: the allotment saved me.")
    theirs = story_in_review("Theirs: the night shift on Ward 9.")
    mo = sign_in(moderator())
    for contribution, passage in ((mine, "allotment"), (theirs, "Ward 9")):
        mo.post(
            f"/admin/moderation/story/{contribution.pk}/redactions/",
            {
                "where": "body:0",
                "passage": passage,
                "occurrence": 1,
                "code": "identifies_contributor",
                "label": "detail",
            },
        )
        mo.post(action_url(contribution, "propose_edits"))

    page = client.get(f"/my-story/{mine.key}/edits/").content.decode()
    assert "allotment" in page and "Ward 9" not in page and "night shift" not in page
    assert "Ward 9" not in client.get(f"/my-story/{mine.key}/").content.decode()
    assert client.post(f"/my-story/{mine.key}/edits/", {"answer": "accept"}).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == StoryStatus.PUBLISHING and theirs.status == StoryStatus.EDITS_PROPOSED

    for url in ("/my-story/{}/edits/", "/my-story/{}/appeal/"):
        assert client.get(url.format("not-a-real-key")).status_code == 404
        assert client.get(url.format(mine.key[:-1])).status_code == 404


def test_every_group_has_what_the_one_permission_registry_gives_it():
    granted = roles.group_permissions()
    # Research adds its own permissions through the registry's hook; moderation names no research model.
    assert "research.explore_research_stories" in granted[roles.RESEARCHERS]
    assert "research.change_emergingtheme" in granted[roles.PEER_MODERATORS]
    assert roles.REVIEW_PERMISSION in granted[roles.PEER_MODERATORS]
    for name, permissions in granted.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held >= permissions, name
