"""Emails: the contributor hears about each step if they left an address (text and HTML), moderators get Wagtail's
workflow notifications, and no email to staff carries a story's words."""

import pytest
from django.core import mail

from moderation import notifications, workflows
from moderation.models import Contribution, StoryStatus
from moderation.notifications import STAFF_SUBJECTS
from moderation.signals import transcript_ready_for_checking
from tests.factories import (
    ConsentRecordFactory,
    ContributionFactory,
    StoryMediaFactory,
    StoryPageFactory,
    site_tree,
)
from tests.moderators import declined_by, make_user, moderator, peer_moderator, sign_in
from tests.workers import run_queue
from transcription.models import JobStatus, TranscriptionJob
from transcription.services import request_transcription

pytestmark = pytest.mark.django_db

SECRET_WORDS = "the words of my story that nobody else should read"


def new_story(email: str = "sam@example.org") -> Contribution:
    story = StoryPageFactory(parent=site_tree()[1], title=SECRET_WORDS, body=[("paragraph", SECRET_WORDS)])
    contribution = ContributionFactory(story=story, email=email)
    ConsentRecordFactory(contribution=contribution)
    return contribution


@pytest.mark.parametrize("kind", sorted(notifications.CONTRIBUTOR_SUBJECTS))
def test_every_contributor_email_has_a_text_and_an_html_version(kind, django_capture_on_commit_callbacks):
    contribution = new_story()
    context = {
        "proposal": None,
        "decision": None,
        "appeal": None,
        "redactions": [],
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.notify(contribution, kind, **context)
    (message,) = mail.outbox
    assert message.to == ["sam@example.org"] and message.subject == notifications.CONTRIBUTOR_SUBJECTS[kind]
    html, content_type = message.alternatives[0]
    assert content_type == "text/html" and html.startswith("<!DOCTYPE html>")
    assert "&#x27;" not in message.body and "&amp;" not in message.body  # plain text is not HTML-escaped


def test_no_email_without_an_address(django_capture_on_commit_callbacks):
    contribution = new_story(email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert not notifications.notify(contribution, "published")
    assert mail.outbox == []


def test_the_safeguarding_email_carries_the_crisis_numbers(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(new_story(), "safeguarding")
    body = mail.outbox[0].body
    for number in ("999", "111", "116 123", "85258", "SHOUT"):
        assert number in body


def test_moderators_hear_a_story_is_waiting_without_its_words(django_capture_on_commit_callbacks):
    mo, peer = moderator("mo"), peer_moderator("pat")
    contribution = new_story()
    with django_capture_on_commit_callbacks(execute=True):
        workflows.start_moderation(contribution)
    staff = [m for m in mail.outbox if m.to != ["sam@example.org"]]
    assert sorted(m.to[0] for m in staff) == sorted([mo.email, peer.email])
    for message in staff:
        assert message.subject == "A story is waiting for moderation"
        assert f"/admin/moderation/story/{contribution.pk}/" in message.body
        assert SECRET_WORDS not in message.body and SECRET_WORDS not in message.subject


def test_an_appeal_notifies_only_moderators_who_took_no_part(django_capture_on_commit_callbacks):
    first, second, peer = moderator("first"), moderator("second"), peer_moderator("pat")
    contribution = new_story()
    declined_by(contribution, first, second)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflows.lodge_appeal(contribution, "Please look again.")
    staff = [m for m in mail.outbox if m.to != ["sam@example.org"]]
    assert [m.to for m in staff] == [[peer.email]]
    assert staff[0].subject == "An appeal is waiting for a moderator who took no part in the decline"


def test_a_finished_transcript_asks_the_contributor_to_check_it(django_capture_on_commit_callbacks):
    contribution = new_story()
    Contribution.objects.filter(pk=contribution.pk).update(status=StoryStatus.PROCESSING)
    with django_capture_on_commit_callbacks(execute=True):
        transcript_ready_for_checking(sender=None, story_id=contribution.story_id, status="done")
        transcript_ready_for_checking(sender=None, story_id=contribution.story_id, status="done")  # once only
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.AWAITING_CONTRIBUTOR
    assert [m.subject for m in mail.outbox] == [notifications.CONTRIBUTOR_SUBJECTS["transcript_ready"]]


def test_wagtails_own_workflow_emails_are_off_for_stories(django_capture_on_commit_callbacks):
    """Wagtail emails superusers when a page is submitted, and whoever submitted it when it is approved or
    rejected, naming the page: a draft story's title. For stories, only Voicebox's word-free notices are sent."""
    make_user("admin", superuser=True)
    assistant, first, second = moderator("assistant"), moderator("first"), peer_moderator("second")
    published, declined = new_story(email=""), new_story(email="")
    with django_capture_on_commit_callbacks(execute=True):
        # Entered by staff with the contributor: Wagtail records the assistant as the one who submitted.
        workflows.start_moderation(published, user=assistant)
        workflows.start_moderation(declined, user=assistant)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.perform_action(published.story.current_workflow_task_state.specific, first, "publish")
        task_state = declined.story.current_workflow_task_state.specific
        workflows.perform_action(task_state, first, "propose_decline", code="duplicate", passage="x", note="y")
        workflows.perform_action(task_state, second, "confirm_decline", note="z")
    run_queue("publication")
    published.refresh_from_db()
    declined.refresh_from_db()
    assert (published.status, declined.status) == (StoryStatus.PUBLISHED, StoryStatus.DECLINED)

    assert {"A story is waiting for moderation", STAFF_SUBJECTS["second_opinion"]} <= {m.subject for m in mail.outbox}
    for message in mail.outbox:
        texts = [message.subject, message.body, *(content for content, _ in message.alternatives)]
        assert not [text for text in texts if SECRET_WORDS in text], (message.to, message.subject)


def test_a_failed_transcription_reaches_moderators(settings, django_capture_on_commit_callbacks):
    """The worker gives up on a recording: moderators get a word-free email and see the story in their queue."""
    mo, peer = moderator("mo"), peer_moderator("pat")
    story = StoryPageFactory(
        parent=site_tree()[1], title=SECRET_WORDS, story_format="audio", media=StoryMediaFactory(title=SECRET_WORDS)
    )
    contribution = ContributionFactory(story=story, email="", status=StoryStatus.PROCESSING)
    with django_capture_on_commit_callbacks(execute=True):
        request_transcription(story.pk)
    # Every attempt so far ended with the worker killed: the next claim is one too many.
    TranscriptionJob.objects.filter(story=story).update(attempts=settings.TRANSCRIPTION_MAX_ATTEMPTS)
    run_queue("transcription")
    assert TranscriptionJob.objects.get(story=story).status == JobStatus.FAILED

    assert sorted(m.to[0] for m in mail.outbox) == sorted([mo.email, peer.email])
    for message in mail.outbox:
        assert message.subject == STAFF_SUBJECTS["transcription_failed"]
        assert f"/admin/moderation/story/{contribution.pk}/" in message.body
        texts = [message.subject, message.body, *(content for content, _ in message.alternatives)]
        assert not [text for text in texts if SECRET_WORDS in text]

    queue = sign_in(peer).get("/admin/moderation/").content.decode()
    row = queue[queue.index(f"/admin/moderation/story/{contribution.pk}/") :].split("</tr>")[0]
    assert "Transcription failed" in row
