"""The private page tells the whole story, and the contributor can answer (issue 13).

/my-story/<key>/ shows, once published, the public page and the "I've experienced this too" count, and what research
did with the story (quoted in an emerging theme, exported on which dates, never by whom); it shows Django messages
where they belong, and updates itself while a recording is written out (a JSON status under the key, a refresh link
without JavaScript). A declined or paused story has a reply box whose replies reach the right queue and are audited;
the contributor can mark the story critical of a service, counted in the public report beside the moderators' flag.
The replies hold the contributor's words, so the erasure scan (tests/test_erasure_scan.rows_containing) proves they
go with the story.
"""

import html as markup
import re
import uuid

import pytest
from django.contrib.auth.models import User
from django.test import Client, TestCase

from moderation import workflows
from moderation.models import AuditEvent, ContributorReply, StoryStatus
from research.models import EmergingTheme, ResearchExport, ResearchExportItem, ThemeQuote
from stories.models import ExperiencedTooCount
from tests.factories import ConsentRecordFactory, ContributionFactory, site_tree
from tests.moderators import declined_by, moderator, peer_moderator, sign_in
from tests.speech_samples import silence, story_with_recording
from tests.test_erasure_scan import rows_containing
from tests.test_transcription_review import transcribed
from tests.workers import run_queue
from transcription.models import JobStatus, TranscriptionJob

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]


def once(make, username: str):
    """The same moderator for every story a test makes (a username is taken only once)."""
    return User.objects.filter(username=username).first() or make(username)


def story(**kwargs):
    contribution = ContributionFactory(**kwargs)
    ConsentRecordFactory(contribution=contribution, research_use=True)
    return contribution


def published_story():
    contribution = story()
    workflows.start_moderation(contribution)
    with TestCase.captureOnCommitCallbacks(execute=True):
        task_state = contribution.story.current_workflow_task_state.specific
        workflows.perform_action(task_state, once(moderator, "mo"), "publish")
    run_queue("publication")
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED
    return contribution


def declined_story():
    contribution = story()
    declined_by(contribution, once(moderator, "first"), once(moderator, "second"))
    assert contribution.status == StoryStatus.DECLINED
    return contribution


def paused_story():
    contribution = story()
    workflows.start_moderation(contribution)
    task_state = contribution.story.current_workflow_task_state.specific
    workflows.perform_action(
        task_state, once(peer_moderator, "pat"), "pause", passage="I can't go on", note="Worried for them."
    )
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PAUSED
    return contribution


def text(response) -> str:
    """The page as a person reads it (entities such as &#x27; turned back into characters)."""
    return markup.unescape(response.content.decode())


def page(client, contribution) -> str:
    return text(client.get(f"/my-story/{contribution.key}/"))


# --- The private page tells the whole story ----------------------------------------------------------------------


def test_a_published_story_links_to_its_public_page_and_shows_the_experienced_too_count(client):
    contribution = published_story()
    html = page(client, contribution)
    assert f'href="{contribution.story.url}"' in html
    assert "No reader has said “I've experienced this too” yet" in html

    for _ in range(3):
        ExperiencedTooCount.add_one(contribution.story_id)
    assert "3 readers have said “I've experienced this too”. You are not alone." in page(client, contribution)


def test_an_unpublished_story_has_no_public_link_or_count(client):
    html = page(client, declined_story())
    assert "Your published story" not in html and "experienced this too" not in html


def test_research_says_where_the_story_was_quoted_and_when_it_was_exported_never_by_whom(client):
    contribution = published_story()
    assert "Your story in research" not in page(client, contribution)

    theme = EmergingTheme.objects.create(name="Being listened to", story_count=3, public_story_count=3)
    ThemeQuote.objects.create(theme=theme, story=contribution.story, text="They listened.")
    hidden = EmergingTheme.objects.create(name="A hidden theme", story_count=3, public_story_count=3, hidden=True)
    ThemeQuote.objects.create(theme=hidden, story=contribution.story, text="They listened.")
    exporter = moderator("researcher-rosalind")
    for day in ("2026-03-04", "2026-05-06"):
        export = ResearchExport.objects.create(exported_by=exporter, format="csv", story_count=1)
        ResearchExport.objects.filter(pk=export.pk).update(exported_at=f"{day}T10:00:00Z")
        ResearchExportItem.objects.create(export=export, story_ref=contribution.story_id)
    elsewhere = ResearchExport.objects.create(exported_by=exporter, format="csv", story_count=1)
    ResearchExportItem.objects.create(export=elsewhere, story_ref=contribution.story_id + 1000)

    html = page(client, contribution)
    assert "Your story in research" in html
    assert f'href="/themes/emerging/{theme.pk}/">Being listened to</a>' in html
    assert "A hidden theme" not in html
    assert "research exports on 4 March 2026, 6 May 2026." in html
    assert "rosalind" not in html.lower()  # never who


def test_the_thank_you_after_checking_a_transcript_shows_on_the_private_page_not_later(client, tmp_path):
    site_tree()
    contribution = ContributionFactory(
        story=story_with_recording(silence(tmp_path / "recording.wav", seconds=1)),
        status=StoryStatus.AWAITING_CONTRIBUTOR,
    )
    ConsentRecordFactory(contribution=contribution)
    transcribed(contribution)
    response = client.post(f"/my-story/{contribution.key}/transcript/", {"action": "confirm"}, follow=True)
    assert response.redirect_chain == [(f"/my-story/{contribution.key}/", 302)]
    html = text(response)
    assert re.search(r'<div role="status"><p class="notice">Thank you\. Your story[^<]*now with a moderator', html)
    # Shown once, where it belongs: not again on the next page.
    assert "now with a moderator" not in page(client, contribution)
    assert "now with a moderator" not in client.get(f"/my-story/{contribution.key}/edits/").content.decode()


def test_while_transcribing_the_page_asks_for_progress_and_offers_a_refresh_link(client, tmp_path):
    contribution = ContributionFactory(
        story=story_with_recording(silence(tmp_path / "recording.wav", seconds=1)), status=StoryStatus.PROCESSING
    )
    job = TranscriptionJob.objects.create(story=contribution.story, status=JobStatus.RUNNING, progress=40)
    html = page(client, contribution)
    progress_url = f"/my-story/{contribution.key}/progress/"
    assert f'data-progress-url="{progress_url}"' in html and 'data-story-status="processing"' in html
    assert re.search(r'<script src="[^"]*js/my_story[.\w]*js" defer></script>', html)
    assert f'<a href="/my-story/{contribution.key}/">Refresh this page</a>' in html
    assert "<span data-progress-percent>40% done</span>" in html

    response = client.get(progress_url)
    assert response.json() == {"status": "processing", "transcription": "running", "progress": 40, "active": True}
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get("/my-story/not-a-key-at-all/progress/").status_code == 404

    job.status, job.progress = JobStatus.DONE, 100
    job.save()
    assert client.get(progress_url).json()["active"] is False
    html = page(client, contribution)
    assert (
        "data-progress-url" not in html
        and "Refresh this page" not in html
        and "my_story" not in html.split("</head>")[0]
    )


# --- The contributor can answer ----------------------------------------------------------------------------------


def test_a_reply_to_a_decline_reaches_the_moderation_queue_and_the_review_screen_and_is_audited(client):
    contribution = declined_story()
    html = page(client, contribution)
    assert f'action="/my-story/{contribution.key}/reply/#reply"' in html
    assert "Appeal this decision" in html  # besides the appeal, not instead of it

    response = client.post(f"/my-story/{contribution.key}/reply/", {"reply-message": "It is my own story, truly."})
    assert response.status_code == 302 and response["Location"] == f"/my-story/{contribution.key}/"
    reply = ContributorReply.objects.get()
    assert reply.decision.kind == "decline" and reply.message == "It is my own story, truly."
    event = AuditEvent.objects.get(action=AuditEvent.Action.DECLINE_REPLIED)
    assert (event.story_ref, event.actor_role) == (contribution.story_id, AuditEvent.Actor.CONTRIBUTOR)
    html = page(client, contribution)
    assert "We've sent your reply to the moderators." in html and "It is my own story, truly." in html
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.DECLINED  # the appeal is still there to use
    assert "Appeal this decision" in html

    mo = sign_in(moderator("third"))
    queue = mo.get("/admin/moderation/").content.decode()
    assert "data-decline-reply" in queue and f"/admin/moderation/story/{contribution.pk}/#replies-heading" in queue
    review = mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "The contributor's replies" in review and "It is my own story, truly." in review


def test_an_answer_to_a_pause_reaches_the_safeguarding_queue_only(client):
    contribution = paused_story()
    html = page(client, contribution)
    for label in ("I'm safe now", "I have support", "This was about the past"):
        assert label in html

    response = client.post(
        f"/my-story/{contribution.key}/reply/",
        {"reply-quick_answers": ["safe_now", "about_the_past"], "reply-message": "My sister is with me."},
    )
    assert response.status_code == 302
    reply = ContributorReply.objects.get()
    assert reply.decision.kind == "pause" and reply.quick_answer_labels == ["I'm safe now", "This was about the past"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.PAUSE_ANSWERED, actor_role=AuditEvent.Actor.CONTRIBUTOR
    ).exists()
    assert "We've sent your answer to the people looking after your safety." in page(client, contribution)

    staff = sign_in(moderator("lead"))
    queue = text(staff.get("/admin/moderation/safeguarding/"))
    assert "data-pause-answer" in queue and "I'm safe now" in queue and "My sister is with me." in queue
    assert "My sister is with me." in staff.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    # Not in the moderation queue, and not for a peer moderator, who does not handle the safeguarding route.
    assert "data-decline-reply" not in staff.get("/admin/moderation/").content.decode()
    peer = sign_in(peer_moderator("peer-two"), client=None)
    assert "My sister is with me." not in peer.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()


def test_a_quick_answer_alone_is_enough_for_a_pause(client):
    contribution = paused_story()
    response = client.post(f"/my-story/{contribution.key}/reply/", {"reply-quick_answers": ["have_support"]})
    assert response.status_code == 302
    assert ContributorReply.objects.get().message == ""


def test_an_empty_reply_gets_a_kind_message_and_nothing_is_sent(client):
    contribution = declined_story()
    response = client.post(f"/my-story/{contribution.key}/reply/", {"reply-message": "   "})
    assert response.status_code == 400
    html = text(response)
    assert "Write your reply, then send it." in html and 'aria-invalid="true"' in html
    paused = paused_story()
    response = client.post(f"/my-story/{paused.key}/reply/", {"reply-message": ""})
    assert response.status_code == 400
    assert "Choose an answer above or write a few words, then send it." in text(response)
    assert not ContributorReply.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["decline_replied", "pause_answered"]).exists()


def test_a_reply_too_long_keeps_every_word_typed(client):
    contribution = declined_story()
    typed = "I was there. " * 400  # 5,200 characters
    response = client.post(f"/my-story/{contribution.key}/reply/", {"reply-message": typed})
    assert response.status_code == 400
    html = text(response)
    assert "Please keep your reply under 5000 characters (it has 5199)." in html
    assert f">{typed}</textarea>" in html
    assert not ContributorReply.objects.exists()


def test_a_reply_with_someone_elses_or_a_wrong_key_is_not_found(client):
    contribution = declined_story()
    other = declined_story()
    for key in ("wrong-key", contribution.key[:-1] + ("A" if contribution.key[-1] != "A" else "B")):
        assert client.post(f"/my-story/{key}/reply/", {"reply-message": "Hello"}).status_code == 404
    client.post(f"/my-story/{other.key}/reply/", {"reply-message": "Mine."})
    assert list(ContributorReply.objects.values_list("contribution", flat=True)) == [other.pk]


@pytest.mark.parametrize("status", [StoryStatus.IN_MODERATION, StoryStatus.PUBLISHED, StoryStatus.APPEAL])
def test_a_reply_when_nothing_waits_for_one_is_refused_and_keeps_the_words(client, status):
    contribution = story(status=status)
    assert 'id="reply-heading"' not in page(client, contribution)
    response = client.post(f"/my-story/{contribution.key}/reply/", {"reply-message": "Words I typed with care."})
    assert response.status_code == 409
    html = text(response)
    assert "isn't waiting for an answer any more, so nothing was sent" in html
    assert "Words I typed with care." in html
    assert not ContributorReply.objects.exists()
    assert client.get(f"/my-story/{contribution.key}/reply/").status_code == 302


def test_a_reply_needs_the_csrf_token():
    contribution = declined_story()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/my-story/{contribution.key}/reply/", {"reply-message": "x"}).status_code == 403
    assert strict.post(f"/my-story/{contribution.key}/critical/", {"critical": "yes"}).status_code == 403


def test_the_contributor_marks_their_story_critical_of_a_service_and_the_report_counts_it(client):
    contribution = published_story()
    flagged = published_story()
    workflows.set_critical_of_services(flagged, once(moderator, "mo"), True)
    html = page(client, contribution)
    assert "You haven't said your story is critical of a service." in html

    response = client.post(f"/my-story/{contribution.key}/critical/", {"critical": "yes"}, follow=True)
    assert "Your story is counted as critical of a service in our public report." in text(response)
    contribution.refresh_from_db()
    assert contribution.marked_critical_by_contributor
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.MARKED_CRITICAL, actor_role=AuditEvent.Actor.CONTRIBUTOR
        ).count()
        == 1
    )
    client.post(f"/my-story/{contribution.key}/critical/", {"critical": "yes"})  # saying it twice records it once
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MARKED_CRITICAL).count() == 1

    report = client.get("/moderation/report/").content.decode()
    assert "Marked as critical of services by the contributor" in report
    published_row = re.search(r'<tr data-row="published"><th scope="row">[^<]*</th>((?:<td>[^<]*</td>)+)</tr>', report)
    assert re.findall(r"<td>([^<]*)</td>", published_row.group(1)) == ["2", "1", "1", "0"]

    mo = sign_in(moderator("another"))
    review = mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "The contributor marked it as critical of services themselves." in review

    client.post(f"/my-story/{contribution.key}/critical/", {"critical": "no"})
    contribution.refresh_from_db()
    assert not contribution.marked_critical_by_contributor
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UNMARKED_CRITICAL).count() == 1
    assert client.get(f"/my-story/{contribution.key}/critical/").status_code == 405


# --- Erasure ---------------------------------------------------------------------------------------------------------


def test_the_contributors_replies_are_erased_with_the_story(client, django_capture_on_commit_callbacks):
    """Answers to a pause and to a decline hold the contributor's words: none outlives the withdrawal."""
    marker = f"Zq{uuid.uuid4().hex[:12]}Marker"
    contribution = story()
    workflows.start_moderation(contribution)
    lead, second = once(moderator, "lead"), once(moderator, "second")
    workflows.perform_action(
        contribution.story.current_workflow_task_state.specific, lead, "pause", passage="x", note="y"
    )
    contribution.refresh_from_db()
    answer = {"reply-quick_answers": ["safe_now"], "reply-message": f"Answered {marker}"}
    assert client.post(f"/my-story/{contribution.key}/reply/", answer).status_code == 302
    workflows.perform_action(
        contribution.story.current_workflow_task_state.specific, lead, "resume", note="Spoke to them."
    )
    workflows.perform_action(
        contribution.story.current_workflow_task_state.specific,
        lead,
        "propose_decline",
        code="duplicate",
        passage="x",
        note="y",
    )
    workflows.perform_action(
        contribution.story.current_workflow_task_state.specific, second, "confirm_decline", note="z"
    )
    contribution.refresh_from_db()
    reply = {"reply-message": f"Replied {marker}"}
    assert client.post(f"/my-story/{contribution.key}/reply/", reply).status_code == 302
    assert rows_containing(marker) == {"moderation_contributorreply": 2}

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{contribution.key}/withdraw/").status_code == 302

    assert rows_containing(marker) == {}
    replied = AuditEvent.objects.filter(
        story_ref=contribution.story_id, action__in=["pause_answered", "decline_replied"]
    )
    assert replied.count() == 2  # what happened stays counted; the words do not
