"""The share journeys in Chromium, by keyboard alone: write a story (with and without JavaScript), upload a
recording, and record one in the browser; each ends on the confirmation with a private link that works."""

import re
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from moderation.models import Contribution, StoryStatus
from moderation.models.contributions import hash_story_key
from stories.models import StoryPage
from tests.browser.conftest import Keys

# Every test here has the site tree (tests/conftest.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("story_index"),
]

WITH_JS = pytest.mark.browser_context(permissions=["clipboard-read", "clipboard-write", "microphone", "camera"])
WITHOUT_JS = pytest.mark.browser_context(java_script_enabled=False)
# The form drops anything sent within a few seconds of starting; a person always takes longer than this.
HUMAN_SECONDS = 3.5


def start(page: Page, base: str, method: str) -> tuple[Keys, float]:
    page.goto(f"{base}/share/")
    started = time.monotonic()
    keys = Keys(page)
    keys.choose("method", method)
    keys.press("Continue")
    page.wait_for_url("**/share/story/")
    return keys, started


def answer_choices(page: Page, keys: Keys, *, media: bool) -> None:
    page.wait_for_url("**/share/choices/")
    keys.choose("audience", "public")
    keys.choose("identity", "anonymous")
    if media:
        keys.choose("media_use", "transcript")
    keys.tick("#id_agree")
    keys.press("Continue")
    page.wait_for_url("**/share/check/")


def send(page: Page, keys: Keys, started: float) -> str:
    """Send from the check page; returns the private link shown on the confirmation."""
    page.wait_for_timeout(max(0, HUMAN_SECONDS - (time.monotonic() - started)) * 1000)
    keys.press("Send my story")
    page.wait_for_url("**/share/done/")
    link = page.input_value("#story-link")
    assert re.fullmatch(r"http://[^/]+/my-story/[A-Za-z0-9_-]{43}/", link)
    return link


def open_private_page(page: Page, keys: Keys, link: str) -> str:
    keys.press("Open your private page")
    page.wait_for_url(link)
    return link.rstrip("/").rsplit("/", 1)[1]


@pytest.mark.parametrize("javascript", [pytest.param(True, marks=WITH_JS), pytest.param(False, marks=WITHOUT_JS)])
def test_the_text_journey_by_keyboard(live_server, browser_page, javascript):
    page = browser_page
    keys, started = start(page, live_server.url, "write")
    keys.type_into("#id_title", "Typed by keyboard")
    keys.type_into("#id_text", "The first paragraph.\n\nThe second one.")
    keys.press("Continue")
    answer_choices(page, keys, media=False)
    assert "Typed by keyboard" in page.content() and "The second one." in page.content()

    link = send(page, keys, started)

    if javascript:
        keys.press("Copy the link")
        page.get_by_text("Copied. Now paste it somewhere safe.").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == link
    else:
        assert page.locator("[data-copy-button]").is_hidden()  # the link is plain text to copy without script
    key = open_private_page(page, keys, link)
    assert page.get_by_role("heading", name="Where your story is: Being reviewed").is_visible()
    assert page.get_by_text("The second one.").is_visible()

    story = StoryPage.objects.get()
    assert story.live is False and story.paragraphs == ["The first paragraph.", "The second one."]
    assert story.display_name == ""
    assert Contribution.objects.get().key_hash == hash_story_key(key)
    # The link is shown once: the confirmation no longer has it.
    page.goto(f"{live_server.url}/share/done/")
    assert key not in page.content()


@WITH_JS
def test_the_upload_journey_by_keyboard(live_server, browser_page, shared_speech):
    page = browser_page
    keys, started = start(page, live_server.url, "upload")
    keys.type_into("#id_title", "Uploaded by keyboard")
    keys.tab_to("#id_media")
    page.set_input_files("#id_media", shared_speech / "fleurs-en-001.ogg")  # the file chooser itself
    keys.press("Continue")
    answer_choices(page, keys, media=True)
    assert page.locator("audio[src='/share/recording/']").count() == 1

    link = send(page, keys, started)
    key = open_private_page(page, keys, link)

    assert page.get_by_role("heading", name="Where your story is: Being prepared").is_visible()
    recording = page.request.get(f"{live_server.url}/my-story/{key}/recording/")
    assert recording.status == 200 and recording.headers["content-type"] == "audio/ogg"
    story = StoryPage.objects.get()
    assert story.live is False and story.story_format == "audio" and story.show_media is False
    assert recording.body() == Path(story.media.file.path).read_bytes()
    assert Contribution.objects.get().status == StoryStatus.PROCESSING


@WITH_JS
def test_the_recording_journey_by_keyboard(live_server, browser_page):
    page = browser_page
    keys, started = start(page, live_server.url, "record")
    assert page.locator("[data-recorder-fallback]").is_hidden()
    keys.type_into("#id_title", "Recorded by keyboard")
    keys.press("Start recording")
    page.get_by_text("Recording. Press Stop recording").wait_for()
    page.wait_for_timeout(2500)
    assert keys.focused("[data-recorder-stop]")  # focus followed the button that replaced Start
    page.keyboard.press("Enter")
    page.locator("[data-recorder-result]").wait_for(state="visible")
    assert page.evaluate("document.querySelector('#id_media').files[0].name").startswith("recording.")
    keys.press("Continue")
    answer_choices(page, keys, media=True)

    link = send(page, keys, started)
    open_private_page(page, keys, link)

    media = StoryPage.objects.get().media
    assert media.type == "audio" and media.container == "webm" and media.duration > 1.5


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def assert_no_axe_violations(page: Page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@WITH_JS
def test_every_page_of_the_journey_passes_axe(live_server, browser_page):
    page = browser_page
    base = live_server.url
    page.goto(f"{base}/share/")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        keys = Keys(page)
        keys.press("Continue")  # nothing chosen: the error summary
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')")
    assert_no_axe_violations(page)
    keys.choose("method", "record")
    keys.press("Continue")
    page.wait_for_url("**/share/story/")
    assert_no_axe_violations(page)
    page.goto(f"{base}/share/")
    keys.choose("method", "write")
    keys.press("Continue")
    page.wait_for_url("**/share/story/")
    with page.expect_navigation():
        keys.press("Continue")  # nothing typed: errors on the title and the story
    assert_no_axe_violations(page)
    keys.type_into("#id_title", "Checked by axe")
    keys.type_into("#id_text", "Words.")
    keys.press("Continue")
    page.wait_for_url("**/share/choices/")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        keys.press("Continue")  # every question unanswered
    assert_no_axe_violations(page)
    answer_choices(page, keys, media=False)
    assert_no_axe_violations(page)
    page.wait_for_timeout(HUMAN_SECONDS * 1000)
    link = send(page, keys, time.monotonic() - HUMAN_SECONDS)
    assert_no_axe_violations(page)
    key = open_private_page(page, keys, link)
    assert_no_axe_violations(page)
    keys.press("Withdraw my story")
    page.wait_for_url(f"**/my-story/{key}/withdraw/")
    assert_no_axe_violations(page)
    keys.press("Yes, withdraw and erase my story")
    page.wait_for_url(link)
    assert page.get_by_role("heading", name="Your story has been withdrawn and erased").is_visible()
    assert_no_axe_violations(page)
    assert not StoryPage.objects.exists() and not Contribution.objects.exists()
