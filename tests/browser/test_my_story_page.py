"""The contributor's private page in Chromium, by keyboard only and axe-clean: the transcription's progress moves on by
itself (no reload) and the page shows the transcript once it is ready; a declined story is answered with the reply box
(a kind error first, then the reply), a paused one with the quick answers, and the story is marked critical of a
service."""

import pytest
from playwright.sync_api import Page, expect

from moderation import workflows
from moderation.models import ContributorReply, StoryStatus
from tests.browser.conftest import Keys
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.factories import ConsentRecordFactory, ContributionFactory, site_tree
from tests.moderators import declined_by, moderator, peer_moderator
from tests.speech_samples import silence, story_with_recording
from transcription.models import JobStatus, Transcript, TranscriptionJob

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def story_index():
    return site_tree()[1]


def open_private_page(page: Page, live_server, contribution) -> str:
    url = f"{live_server.url}/my-story/{contribution.key}/"
    page.goto(url)
    return url


def test_progress_moves_on_by_itself_while_the_recording_is_written_out(live_server, browser_page, tmp_path):
    page = browser_page
    contribution = ContributionFactory(
        story=story_with_recording(silence(tmp_path / "recording.wav", seconds=1)), status=StoryStatus.PROCESSING
    )
    ConsentRecordFactory(contribution=contribution)
    job = TranscriptionJob.objects.create(story=contribution.story, status=JobStatus.RUNNING, progress=10)
    open_private_page(page, live_server, contribution)
    assert page.locator("progress").get_attribute("value") == "10"
    assert_no_axe_violations(page)
    page.evaluate("window.stillTheSamePage = true")

    job.progress = 55
    job.save()
    # (Playwright's wait_for_function evaluates a string, which the strict CSP rightly refuses: poll with expect.)
    expect(page.locator("[data-progress-percent]")).to_have_text("55% done")
    assert page.locator("progress").evaluate("bar => bar.value") == 55
    assert page.evaluate("window.stillTheSamePage === true")  # moved on without a reload

    # Written out: the page shows it by itself, with the way to check the transcript, reachable by keyboard.
    Transcript.objects.create(
        story=contribution.story,
        language="en",
        duration=1,
        model_name="base",
        segments=[{"start": 0.0, "end": 1.0, "text": "Hello.", "words": []}],
    )
    job.status, job.progress = JobStatus.DONE, 100
    job.save()
    contribution.status = StoryStatus.AWAITING_CONTRIBUTOR
    contribution.save()
    page.get_by_text("It's ready.").wait_for()
    assert page.evaluate("window.stillTheSamePage === undefined")
    assert page.get_by_role("heading", name="Where your story is: Waiting for you to check").is_visible()
    assert page.locator("[data-progress-url]").count() == 0
    Keys(page).press("Check the transcript")
    page.wait_for_url(f"**/my-story/{contribution.key}/transcript/")


@pytest.mark.browser_context(java_script_enabled=False)
def test_without_javascript_the_refresh_link_shows_the_progress(live_server, browser_page, tmp_path):
    page = browser_page
    contribution = ContributionFactory(
        story=story_with_recording(silence(tmp_path / "recording.wav", seconds=1)), status=StoryStatus.PROCESSING
    )
    job = TranscriptionJob.objects.create(story=contribution.story, status=JobStatus.RUNNING, progress=20)
    open_private_page(page, live_server, contribution)
    job.progress = 70
    job.save()
    Keys(page).press("Refresh this page")
    page.wait_for_load_state()
    assert page.locator("[data-progress-percent]").text_content() == "70% done"


def test_a_declined_story_is_answered_by_keyboard(live_server, browser_page):
    page = browser_page
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution)
    declined_by(contribution, moderator("first"), moderator("second"))
    open_private_page(page, live_server, contribution)
    assert_no_axe_violations(page)
    keys = Keys(page)

    keys.press("Send my reply")  # nothing written yet: a kind message, nothing sent
    page.get_by_text("Write your reply, then send it.").wait_for()
    assert not ContributorReply.objects.exists()
    assert_no_axe_violations(page)
    keys = Keys(page)
    keys.type_into("#id_reply-message", "It is my own story, not a copy.")
    keys.press("Send my reply")
    page.get_by_text("Thank you. We've sent your reply to the moderators.").wait_for()
    assert ContributorReply.objects.get().message == "It is my own story, not a copy."
    assert page.get_by_role("link", name="Appeal this decision").is_visible()  # the appeal is still there
    assert_no_axe_violations(page)

    Keys(page).press("Yes, it's critical of a service")
    page.get_by_text("You've said your story is critical of a service.").wait_for()
    contribution.refresh_from_db()
    assert contribution.marked_critical_by_contributor
    assert_no_axe_violations(page)


def test_a_paused_story_is_answered_with_the_quick_answers_by_keyboard(live_server, browser_page):
    page = browser_page
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution)
    workflows.start_moderation(contribution)
    task_state = contribution.story.current_workflow_task_state.specific
    workflows.perform_action(task_state, peer_moderator(), "pause", passage="I can't go on", note="Worried.")
    open_private_page(page, live_server, contribution)
    assert_no_axe_violations(page)
    keys = Keys(page)
    keys.tick("#id_reply-quick_answers_0")
    keys.tick("#id_reply-quick_answers_1")
    keys.press("Send my answer")
    page.get_by_text("Thank you. We've sent your answer to the people looking after your safety.").wait_for()
    assert ContributorReply.objects.get().quick_answers == ["safe_now", "have_support"]
    assert_no_axe_violations(page)
