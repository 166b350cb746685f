"""A story's life through moderation, driven through the real share flow, admin screens and contributor pages."""

import datetime

import pytest
from django.core import mail
from wagtail.models import TaskState

from moderation import workflows
from moderation.expiry import expire_consents
from moderation.models import (
    Appeal,
    AuditEvent,
    ConsentRecord,
    Contribution,
    Decision,
    EditProposal,
    SafeguardingConcern,
    StoryStatus,
)
from stories.models import StoryPage
from tests import sharing
from tests.moderators import action_url, moderator, peer_moderator, sign_in
from tests.workers import run_queue

# The heart of moderation runs again on PostgreSQL with the Redis/RQ queue (tests/run_suite.py).
# Every test here has the site tree (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.production_parts, pytest.mark.usefixtures("story_index")]

STORY = (
    "On the ward the night nurse, Jane Doe, took my phone away.\n\n"
    "I felt invisible for weeks. Then a peer worker listened and I started to sleep again."
)


def share(client, text: str = STORY, **choices) -> tuple[Contribution, str]:
    """Share a written story through the real share flow; returns its contribution and the story key."""
    answers = sharing.choice_answers(minimal_edits="no", identity="anonymous", display_name="", **choices)
    fields = sharing.fill_in(client, story=sharing.story_answers(text=text), choices=answers)
    response = client.post("/share/check/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    key = sharing.story_link(client.get("/share/done/").content.decode()).rstrip("/").rsplit("/", 1)[1]
    return Contribution.objects.get(idempotency_key=fields["token"]), key


def public_html(client, contribution: Contribution) -> str:
    story = StoryPage.objects.get(pk=contribution.story_id)
    response = client.get(story.url)
    assert response.status_code == 200
    return response.content.decode()


def test_edits_go_to_the_contributor_and_publish_when_they_accept(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contribution, key = share(client)
    # The consent check passed by itself; the story now waits for a moderator.
    assert TaskState.objects.get(task__name="Consent check").status == TaskState.STATUS_APPROVED
    assert AuditEvent.objects.filter(story_ref=contribution.story_id, action="consent_checked").exists()

    mo = sign_in(moderator())
    queue = mo.get("/admin/moderation/")
    assert f"/admin/moderation/story/{contribution.pk}/" in queue.content.decode()
    review = mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "Jane Doe" in review and 'data-action="publish"' in review

    with django_capture_on_commit_callbacks(execute=True):
        response = mo.post(
            f"/admin/moderation/story/{contribution.pk}/redactions/",
            {
                "where": "body:0",
                "passage": "Jane Doe",
                "occurrence": 1,
                "code": "identifies_third_party",
                "label": "name",
                "note": "So the nurse can't be identified. What happened stays.",
            },
        )
        assert response.status_code == 302
        # With an edit drafted, publishing as written is not offered: the edits go to the contributor first.
        assert mo.post(action_url(contribution, "publish")).status_code == 403
        assert mo.post(action_url(contribution, "propose_edits")).status_code == 302

    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.EDITS_PROPOSED
    assert not StoryPage.objects.get(pk=contribution.story_id).live
    assert [m.subject for m in mail.outbox if m.to == ["sam@example.org"]] == [
        "We have your story",
        "A moderator has suggested changes to your story",
    ]

    my_story = client.get(f"/my-story/{key}/").content.decode()
    assert "A moderator has suggested changes" in my_story
    edits = client.get(f"/my-story/{key}/edits/").content.decode()
    assert "<del>Jane Doe</del>" in edits and "<ins>[name removed]</ins>" in edits
    assert "Identifies someone else" in edits

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my-story/{key}/edits/", {"answer": "accept"})
    assert response.status_code == 302
    # Accepting is a decision to publish, like a moderator's: recorded at once, carried out by the worker.
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHING and not StoryPage.objects.get(pk=contribution.story_id).live
    assert "Being published" in client.get(f"/my-story/{key}/").content.decode()
    run_queue("publication")

    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED and contribution.published_at
    page = public_html(client, contribution)
    assert "[name removed]" in page and "Jane Doe" not in page
    assert "I felt invisible for weeks." in page
    assert EditProposal.objects.get().status == EditProposal.Status.ACCEPTED
    assert "Your story is published" in [m.subject for m in mail.outbox]
    actions = list(
        AuditEvent.objects.filter(story_ref=contribution.story_id).order_by("at", "pk").values_list("action", flat=True)
    )
    assert actions == [
        "submitted",
        "consent_checked",
        "edits_proposed",
        "edits_accepted",
        "publication_decided",
        "published",
        "published_with_edits",
    ]


def test_minimal_identifying_edits_publish_without_waiting_when_preauthorised(
    client, django_capture_on_commit_callbacks
):
    contribution, key = share(client)
    ConsentRecord.objects.filter(contribution=contribution).update(minimal_edits_preauthorised=True)
    mo = sign_in(moderator())
    mo.post(
        f"/admin/moderation/story/{contribution.pk}/redactions/",
        {"where": "body:0", "passage": "Jane Doe", "occurrence": 1, "code": "identifies_third_party", "label": "name"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert mo.post(action_url(contribution, "propose_edits")).status_code == 302
    run_queue("publication")

    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED
    assert EditProposal.objects.get().status == EditProposal.Status.PREAUTHORISED
    assert "Jane Doe" not in public_html(client, contribution)
    # Nothing is changed silently: the contributor's page lists the edit that was made.
    history = client.get(f"/my-story/{key}/edits/").content.decode()
    assert "Made under the contributor&#x27;s pre-authorisation" in history and "[name removed]" in history


def test_a_reply_to_edits_returns_the_story_to_the_moderator(client, django_capture_on_commit_callbacks):
    contribution, key = share(client)
    mo = sign_in(moderator())
    mo.post(
        f"/admin/moderation/story/{contribution.pk}/redactions/",
        {
            "where": "body:1",
            "passage": "peer worker",
            "occurrence": 1,
            "code": "identifies_contributor",
            "label": "detail",
        },
    )
    mo.post(action_url(contribution, "propose_edits"))

    response = client.post(f"/my-story/{key}/edits/", {"answer": "reply", "reply": "Please keep 'peer worker'."})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.IN_MODERATION
    review = mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "Please keep &#x27;peer worker&#x27;." in review
    # The moderator can publish the story as the contributor wrote it.
    with django_capture_on_commit_callbacks(execute=True):
        assert mo.post(action_url(contribution, "publish")).status_code == 302
    run_queue("publication")
    assert "peer worker listened" in public_html(client, contribution)


def test_a_decline_needs_a_second_moderator_and_an_appeal_goes_to_someone_else(
    client, django_capture_on_commit_callbacks
):
    contribution, key = share(client, text="Buy cheap watches at watches.example, best prices, free delivery.")
    first, second = moderator("first"), moderator("second")
    peer, staff_bystander = peer_moderator("peer"), moderator("bystander")
    first_client = sign_in(first)

    decline = {
        "propose_decline-code": "not_personal_account",
        "propose_decline-passage": "Buy cheap watches at watches.example",
        "propose_decline-note": "This is an advert, not someone's experience.",
    }
    assert first_client.post(action_url(contribution, "propose_decline"), decline).status_code == 302
    contribution.refresh_from_db()
    # Not final: the contributor is not told, and the proposer cannot confirm their own decline.
    assert contribution.status == StoryStatus.IN_MODERATION
    assert "Why we haven" not in client.get(f"/my-story/{key}/").content.decode()
    assert (
        first_client.post(action_url(contribution, "confirm_decline"), {"confirm_decline-note": "Yes"}).status_code
        == 403
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(second).post(
            action_url(contribution, "confirm_decline"), {"confirm_decline-note": "Agreed."}
        )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.DECLINED
    decision = Decision.objects.get(kind="decline")
    assert (decision.code, decision.made_by, decision.second_moderator) == ("not_personal_account", first, second)
    declined_mail = next(m for m in mail.outbox if m.subject == "We have not published your story")
    assert "Not a personal account of mental-health experience" in declined_mail.body

    my_story = client.get(f"/my-story/{key}/").content.decode()
    assert "Not a personal account of mental-health experience" in my_story
    assert "Buy cheap watches at watches.example" in my_story
    response = client.post(f"/my-story/{key}/appeal/", {"message": "This really is my story about money worries."})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.APPEAL

    # The moderators who declined cannot decide the appeal; anyone else with the right may (a peer moderator is asked
    # first, and decides it here).
    for user in (first, second):
        assert sign_in(user).post(action_url(contribution, "publish")).status_code == 403
    assert workflows.may_decide_appeal(Appeal.objects.get(), staff_bystander)
    peer_client = sign_in(peer)
    review = peer_client.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "This really is my story about money worries." in review
    with django_capture_on_commit_callbacks(execute=True):
        assert peer_client.post(action_url(contribution, "publish")).status_code == 302
    run_queue("publication")

    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED
    appeal = Appeal.objects.get()
    assert (appeal.status, appeal.decided_by) == (Appeal.Status.PUBLISHED, peer)
    appeal_page = client.get(f"/my-story/{key}/appeal/").content.decode()
    assert "Appeal accepted: published" in appeal_page
    assert "appeal_published" in AuditEvent.objects.values_list("action", flat=True)


def test_a_second_moderator_can_overturn_a_proposed_decline(client):
    contribution, _key = share(client)
    sign_in(moderator("first")).post(
        action_url(contribution, "propose_decline"),
        {
            "propose_decline-code": "duplicate",
            "propose_decline-passage": "On the ward",
            "propose_decline-note": "Looks like one we have.",
        },
    )
    second = sign_in(moderator("second"))
    assert (
        second.post(
            action_url(contribution, "overturn_decline"), {"overturn_decline-note": "Different story."}
        ).status_code
        == 302
    )
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.IN_MODERATION
    assert Decision.objects.get().status == Decision.Status.OVERTURNED
    assert second.post(action_url(contribution, "publish")).status_code == 302


def test_a_pause_shows_the_contributor_where_to_get_help_and_is_not_a_decline(
    client, django_capture_on_commit_callbacks
):
    contribution, key = share(client, text="I have the tablets here and I don't think I'll be here next week.")
    lead = moderator("lead")
    peer = peer_moderator("peer")
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(peer).post(
            action_url(contribution, "pause"),
            {"pause-passage": "I don't think I'll be here next week", "pause-note": "Current risk."},
        )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PAUSED
    assert not Decision.objects.filter(kind="decline").exists()

    my_story = client.get(f"/my-story/{key}/").content.decode()
    assert "paused your story to check you" in my_story
    for number in ("999", "111", "option 2", "116 123", "85258"):
        assert number in my_story
    safeguarding_mail = next(m for m in mail.outbox if m.to == ["sam@example.org"])
    assert "116 123" in safeguarding_mail.body and "85258" in safeguarding_mail.body
    assert any(m.to == [lead.email] and m.subject == "A story has been paused for safeguarding" for m in mail.outbox)

    # The story has left the moderation queue for the separate safeguarding queue, which staff moderators handle.
    lead_client = sign_in(lead)
    assert f"/admin/moderation/story/{contribution.pk}/" not in lead_client.get("/admin/moderation/").content.decode()
    assert (
        "I don&#x27;t think I&#x27;ll be here next week"
        in lead_client.get("/admin/moderation/safeguarding/").content.decode()
    )
    assert lead_client.post(action_url(contribution, "publish")).status_code == 403
    assert (
        lead_client.post(action_url(contribution, "resume"), {"resume-note": "Called, safe plan."}).status_code == 302
    )
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.IN_MODERATION
    assert SafeguardingConcern.objects.get().status == SafeguardingConcern.Status.RESOLVED


def test_a_story_is_unpublished_when_its_consent_expires(client, django_capture_on_commit_callbacks):
    end = datetime.date.today() + datetime.timedelta(days=30)
    contribution, key = share(client, expiry="date", expires_on=end.isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(moderator()).post(action_url(contribution, "publish"))
    run_queue("publication")
    story = StoryPage.objects.get(pk=contribution.story_id)
    assert client.get(story.url).status_code == 200

    assert expire_consents(today=end - datetime.timedelta(days=1)) == 0
    assert expire_consents(today=end) == 1

    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.EXPIRED
    assert client.get(story.url).status_code == 404
    assert "the end date you chose has passed" in client.get(f"/my-story/{key}/").content.decode()
    assert AuditEvent.objects.filter(action="consent_expired", actor_role="system").count() == 1


def test_the_expiry_command_is_part_of_the_worker_set_up():
    from pathlib import Path

    procfile = (Path(__file__).resolve().parent.parent / "Procfile.dev").read_text()
    assert "manage.py expire_consents --every" in procfile
