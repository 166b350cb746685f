"""The public side in Chromium: play a story, jump from the transcript, open moment links, captions, filters, search.

Browser fixtures (Chromium, a page that fails on script errors or CSP violations) come from tests/browser/conftest.py.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.public_site import SPOKEN_TRANSCRIPT, build_site, media, publish_story, theme

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def stories():
    index = build_site()
    family = theme("Family")
    audio = publish_story(
        index,
        "Allotment days",
        story_format="audio",
        transcript=SPOKEN_TRANSCRIPT,
        story_media=media("audio", seconds=6.0),
        themes=(family,),
    )
    video = publish_story(
        index, "On camera", story_format="video", transcript=SPOKEN_TRANSCRIPT, story_media=media("video", seconds=6.0)
    )
    text = publish_story(index, "Written down", body=("A written story about the sea.",), themes=(family,))
    return {"audio": audio, "video": video, "text": text}


def current_time(page: Page) -> float:
    return page.evaluate("document.querySelector('[data-player]').currentTime")


def wait_for_time(page: Page, low: float, high: float) -> None:
    page.wait_for_function(
        "([low, high]) => { const t = document.querySelector('[data-player]').currentTime;"
        " return t >= low && t < high; }",
        arg=[low, high],
    )


def current_line(page: Page) -> str:
    return page.locator(".transcript-line[aria-current=true] .line-text").inner_text()


def test_play_audio_then_click_a_transcript_line(live_server, browser_page, stories):
    page = browser_page
    page.goto(live_server.url + stories["audio"].url)
    page.evaluate("document.querySelector('[data-player]').play()")
    page.wait_for_function("() => document.querySelector('[data-player]').currentTime > 0.3")
    expect(page.locator(".transcript-line[aria-current=true]")).to_have_count(1)
    assert current_line(page) == SPOKEN_TRANSCRIPT[0]["text"]

    page.get_by_text(SPOKEN_TRANSCRIPT[2]["text"]).click()
    wait_for_time(page, 2.8, 4.2)
    assert current_line(page) == SPOKEN_TRANSCRIPT[2]["text"]
    assert "t=2.8" in page.url
    assert page.evaluate("!document.querySelector('[data-player]').paused")


def test_a_moment_link_opens_the_story_at_that_moment(live_server, browser_page, stories):
    page = browser_page
    page.goto(f"{live_server.url}{stories['audio'].url}?t=4.2")
    wait_for_time(page, 4.1, 6.1)
    assert current_line(page) == SPOKEN_TRANSCRIPT[3]["text"]

    # The moment links in the transcript work in place, and a fragment (#t=) works too.
    page.locator(".moment").nth(1).click()
    wait_for_time(page, 1.4, 2.8)
    page.goto(f"{live_server.url}{stories['audio'].url}#t=2.8")
    wait_for_time(page, 2.8, 4.2)


def test_captions_on_a_video_story(live_server, browser_page, stories):
    page = browser_page
    page.goto(live_server.url + stories["video"].url)
    page.wait_for_function(
        "() => { const t = document.querySelector('video').textTracks[0]; return t && t.cues && t.cues.length > 0; }"
    )
    track = page.evaluate(
        """() => { const t = document.querySelector('video').textTracks[0];
                   return {kind: t.kind, mode: t.mode, cues: Array.from(t.cues).map(c => [c.startTime, c.text])}; }"""
    )
    assert track["kind"] == "captions" and track["mode"] == "showing"
    # Captions wrap long lines; the words are the transcript's.
    assert [" ".join(text.split()) for _, text in track["cues"]] == [line["text"] for line in SPOKEN_TRANSCRIPT]
    assert track["cues"][2][0] == pytest.approx(2.8)
    # The video really plays in this browser.
    page.evaluate("document.querySelector('video').play()")
    page.wait_for_function("() => document.querySelector('video').currentTime > 0.3")


def test_filter_the_index(live_server, browser_page, stories):
    page = browser_page
    page.goto(f"{live_server.url}/stories/")
    expect(page.locator(".story-card")).to_have_count(3)
    page.get_by_label("Told as").select_option("audio")
    page.get_by_role("button", name="Show stories").click()
    expect(page.locator(".story-card")).to_have_count(1)
    assert "format=audio" in page.url
    expect(page.locator(".story-card-title")).to_have_text("Allotment days")

    page.get_by_label("Told as").select_option("")
    page.get_by_label("Theme").select_option(label="Family")
    page.get_by_role("button", name="Show stories").click()
    expect(page.locator(".story-card-title")).to_have_text(["Written down", "Allotment days"])


def test_search_a_phrase_said_only_in_a_transcript_and_land_at_its_moment(live_server, browser_page, stories):
    page = browser_page
    page.goto(f"{live_server.url}/search/")
    page.get_by_label("Words to look for").fill("could breathe")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".passage").first.locator("mark")).to_have_text(["could", "breathe"])
    page.locator(".moment-link").first.click()
    page.wait_for_url("**?t=1.4")
    wait_for_time(page, 1.4, 2.8)
    assert current_line(page) == SPOKEN_TRANSCRIPT[1]["text"]
