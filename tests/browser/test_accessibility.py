"""axe-core in Chromium on the public pages: zero violations of the WCAG 2.2 AA rules and axe's best practices.

Every step of /share/ is checked the same way, step by step, in test_share_journeys.py.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.public_site import SPOKEN_TRANSCRIPT, build_site, content_note, media, publish_story, theme

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture
def public_paths():
    index = build_site()
    family = theme("Family", description="Parents, children, partners and carers.")
    grief = content_note("Grief")
    text = publish_story(
        index,
        "Written down",
        body=("The first time I asked for help.", "What changed after that."),
        themes=(family,),
        notes=(grief,),
        display_name="Sam",
    )
    audio = publish_story(
        index, "Allotment days", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=media("audio")
    )
    video = publish_story(
        index, "On camera", story_format="video", transcript=SPOKEN_TRANSCRIPT, story_media=media("video")
    )
    words_only = publish_story(
        index,
        "Words, not voice",
        story_format="audio",
        transcript=SPOKEN_TRANSCRIPT,
        story_media=media("audio"),
        show_media=False,
    )
    return [
        "/",
        "/stories/",
        "/stories/?format=audio",
        text.url,
        audio.url,
        video.url,
        words_only.url,
        "/search/",
        "/search/?q=allotment",
        "/themes/",
        f"/themes/{family.slug}/",
        "/reading-preferences/",
        "/policy/",
        "/moderation/report/",
        "/share/",
    ]


def assert_no_axe_violations(page: Page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def test_public_pages_have_no_axe_violations(live_server, browser_page, public_paths):
    # Nothing a page asks for fails either; the browser's own request for an icon is reported only to the console.
    failed = []
    browser_page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    browser_page.on("console", lambda message: failed.append(message.text) if message.type == "error" else None)
    for path in public_paths:
        response = browser_page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_no_axe_violations(browser_page)
    assert failed == []


def test_story_page_with_its_notice_open_and_the_transcript_playing_has_no_violations(
    live_server, browser_page, public_paths
):
    page = browser_page
    page.goto(live_server.url + public_paths[3])
    page.get_by_text("Content notes for this story").click()
    assert_no_axe_violations(page)
    page.goto(live_server.url + public_paths[4] + "?t=1.4")
    page.wait_for_selector(".transcript-line[aria-current=true]")
    assert_no_axe_violations(page)
