"""Staff unpublish a story only as a recorded decision under the policy: a staff moderator takes a published story
down from the review screen with a decline reason, the passage and a note; it leaves the public page, the feed and
search; the audit log and the public report show it; the contributor is told (without the story's words) and may
appeal. A peer moderator cannot take a story down."""

import re

import pytest
from django.core import mail

from moderation import workflows
from moderation.models import AuditEvent, Decision, StoryStatus
from stories.models import StoryPage
from tests.factories import ConsentRecordFactory, ContributionFactory, site_tree
from tests.moderators import action_url, make_user, moderator, peer_moderator, sign_in
from tests.workers import run_queue

pytestmark = pytest.mark.django_db

PASSAGE = "the advert for my cousin's shop"


def report_row(client, key: str) -> list[str]:
    html = client.get("/moderation/report/").content.decode()
    cells = re.search(rf'<tr data-row="{key}"[^>]*>.*?</tr>', html, re.S).group(0)
    return re.findall(r"<td>([^<]*)</td>", cells)


def test_a_staff_moderator_takes_a_published_story_down_and_a_peer_cannot(client, django_capture_on_commit_callbacks):
    site_tree()
    staff, peer = moderator("lead"), peer_moderator("peer")
    contribution = ContributionFactory(email="sam@example.org")
    ConsentRecordFactory(contribution=contribution)
    workflows.start_moderation(contribution)
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_in(make_user("first", "Moderators")).post(action_url(contribution, "publish")).status_code == 302
    run_queue("publication")
    contribution.refresh_from_db()
    story = contribution.story.specific
    assert contribution.status == StoryStatus.PUBLISHED and story.live
    url, in_feed = story.url, f"story-{story.pk}</guid>"
    assert client.get(url).status_code == 200
    assert in_feed in client.get("/feeds/stories/").content.decode()

    review = f"/admin/moderation/story/{contribution.pk}/"
    take_down = f"{review}take-down/"
    fields = {"take_down-code": "not_personal_account", "take_down-passage": PASSAGE, "take_down-note": "An advert."}

    # A peer moderator reviews stories but is not offered the take-down, and is refused it by direct URL.
    peer_client = sign_in(peer)
    assert "Take this story down" not in peer_client.get(review).content.decode()
    assert peer_client.post(take_down, fields).status_code == 403
    # A reason outside the closed policy list is refused with the form again, nothing changed.
    staff_client = sign_in(staff)
    assert "Take this story down" in staff_client.get(review).content.decode()
    bad = staff_client.post(take_down, {**fields, "take_down-code": "criticises_services"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(take_down, fields).status_code == 302

    contribution.refresh_from_db()
    story.refresh_from_db()
    assert contribution.status == StoryStatus.DECLINED and not story.live
    assert client.get(url).status_code == 404
    assert in_feed not in client.get("/feeds/stories/").content.decode()
    # Search draws only on live, public stories.
    assert url not in client.get("/search/", {"q": "hard"}).content.decode()
    assert not StoryPage.objects.live().filter(pk=story.pk).exists()
    decision = Decision.objects.get(contribution=contribution)
    assert (decision.code, decision.passage, decision.made_by, decision.status) == (
        "not_personal_account",
        PASSAGE,
        staff,
        Decision.Status.CONFIRMED,
    )
    # The audit log records it in words, with the reason; the public report counts it.
    event = AuditEvent.objects.get(story_ref=story.pk, action=AuditEvent.Action.TAKEN_DOWN)
    assert (event.actor_role, event.policy_code) == (AuditEvent.Actor.MODERATOR, "not_personal_account")
    log = staff_client.get(f"{review}audit/").content.decode()
    assert "Unpublished by a staff moderator under the policy: the contributor may appeal" in log
    assert report_row(client, "taken_down") == ["1", "0", "0", "1"]  # all, flagged, marked by the contributor, neither
    # The contributor hears why, without the story's words, and where to appeal.
    (email,) = mail.outbox
    assert email.to == ["sam@example.org"] and email.subject == "We have taken your story off the site"
    assert "Not a personal account" in email.body and "appeal" in email.body
    assert PASSAGE not in email.body and story.title not in email.body
    # Nobody can take it down twice: it is no longer published.
    assert staff_client.post(take_down, fields).status_code == 403

    # The contributor appeals, and the story is back in moderation at the appeal stage for someone who took no part.
    workflows.lodge_appeal(contribution, "It is my own story, not an advert.")
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.APPEAL
    assert "publish" in workflows.available_actions(workflows.current_task_state(contribution).specific, peer)
    assert workflows.available_actions(workflows.current_task_state(contribution).specific, staff) == []
