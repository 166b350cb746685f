"""Submit a recording → the worker transcribes it → the contributor checks and corrects the transcript in Chromium
→ confirms → moderation; once published, the story's captions are valid WebVTT with the contributor's words."""

import pytest

from moderation.models import Contribution, StoryStatus
from moderation.publication import request_publication
from tests.browser.conftest import Keys
from tests.browser.test_share_journeys import answer_choices, open_private_page, send, start
from tests.factories import site_tree
from tests.test_captions import assert_strict_webvtt
from tests.workers import run_queue
from transcription.models import JobStatus, Transcript, TranscriptionJob

pytestmark = [
    pytest.mark.browser,
    pytest.mark.whisper,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CORRECTION = "Hello, this is my own correction of the first line."


@pytest.fixture(autouse=True)
def story_index(settings):
    settings.WHISPER_MODEL = "tiny.en"
    return site_tree()[1]


@pytest.mark.browser_context(permissions=["microphone"])
def test_submit_transcribe_review_and_confirm(live_server, browser_page, packaged_speech):
    page = browser_page
    keys, started = start(page, live_server.url, "upload")
    keys.type_into("#id_title", "A conversation")
    page.set_input_files("#id_media", packaged_speech[0])
    keys.press("Continue")
    answer_choices(page, keys, media=True)
    link = send(page, keys, started)
    key = open_private_page(page, keys, link)
    assert page.get_by_text("Your recording is waiting to be written out.").is_visible()

    run_queue("transcription")
    story = Contribution.objects.get().story
    assert TranscriptionJob.objects.get(story=story).status == JobStatus.DONE

    page.reload()
    assert page.get_by_text("It's ready.").is_visible()
    keys = Keys(page)
    keys.press("Check the transcript")
    page.wait_for_url(f"**/my-story/{key}/transcript/")
    assert page.locator(f"audio[src='/my-story/{key}/recording/']").count() == 1
    first_line = page.locator("textarea").first
    original = first_line.input_value()
    assert original and page.locator(".play-from").first.is_visible()  # the script showed the play buttons

    keys.press("Play this line")
    page.wait_for_function("document.getElementById('review-player').currentTime > 0")
    keys.tab_to("textarea[name='line-0']")
    page.keyboard.press("Control+A")
    page.keyboard.type(CORRECTION)
    keys.press("Confirm the transcript")
    page.wait_for_url(link)
    assert page.get_by_role("heading", name="Where your story is: Being reviewed").is_visible()
    assert page.get_by_text("You've checked it. Thank you.").is_visible()

    transcript = Transcript.objects.get(story=story)
    assert transcript.confirmed_segments[0]["text"] == CORRECTION
    assert transcript.confirmed_segments[0]["start"] == transcript.segments[0]["start"]
    assert transcript.segments[0]["text"] == original  # Whisper's version is kept beside it
    contribution = Contribution.objects.get()
    assert contribution.status == StoryStatus.IN_MODERATION

    request_publication(contribution)
    run_queue("publication")
    captions = page.request.get(f"{live_server.url}/captions/{story.pk}.vtt")
    assert captions.status == 200 and captions.headers["content-type"] == "text/vtt; charset=utf-8"
    cues = assert_strict_webvtt(captions.text())
    assert " ".join(" ".join(lines) for *_, lines in cues).startswith(CORRECTION)
