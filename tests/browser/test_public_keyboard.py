"""A story page by keyboard alone: every control is reached with Tab, and each one works from the keyboard."""

import pytest

from tests.browser.conftest import Keys
from tests.public_site import SPOKEN_TRANSCRIPT, build_site, content_note, media, publish_story, theme

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Everything on a page a keyboard user can operate (the player counts once: its controls live inside it).
CONTROLS = "a[href], button, summary, audio[controls], video[controls], input:not([type=hidden]), select, textarea"


@pytest.fixture
def story():
    index = build_site()
    return publish_story(
        index,
        "Allotment days",
        story_format="audio",
        transcript=SPOKEN_TRANSCRIPT,
        story_media=media("audio", seconds=6.0),
        themes=(theme("Nature"),),
        notes=(content_note("Grief"),),
        body=("A few words before the recording.",),
    )


def test_every_control_on_a_story_page_is_reached_and_operated_by_keyboard(live_server, browser_page, story):
    page = browser_page
    keys = Keys(page)
    page.goto(live_server.url + story.url)
    # Open the content notes first (by keyboard), so the link inside the notice is on the way too.
    keys.tab_to(".content-notes summary")
    page.keyboard.press("Enter")
    expected = page.evaluate(
        """selector => {
               const controls = [...document.querySelectorAll(selector)].filter(element => element.checkVisibility());
               controls.forEach((element, index) => element.setAttribute('data-control', index));
               return controls.length;
           }""",
        CONTROLS,
    )

    # From the first control, Tab through the whole page once, noting every control that takes focus.
    page.focus("[data-control='0']")
    reached = ["0"]
    for _ in range(expected * 6):
        page.keyboard.press("Tab")
        control = page.evaluate("() => document.activeElement && document.activeElement.getAttribute('data-control')")
        if control is not None and (not reached or reached[-1] != control):
            reached.append(control)
        if control == str(expected - 1):
            break
    assert sorted(set(reached), key=int) == [str(index) for index in range(expected)]
    assert [int(control) for control in dict.fromkeys(reached)] == sorted(int(control) for control in set(reached))

    # The skip link moves focus to the main content.
    page.goto(live_server.url + story.url)
    page.keyboard.press("Tab")
    assert keys.focused(".skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # The content notes open and close with the keyboard.
    keys.tab_to(".content-notes summary")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.querySelector('.content-notes').open")
    page.keyboard.press("Space")
    assert not page.evaluate("() => document.querySelector('.content-notes').open")

    # The player's own controls take the keyboard: Space on its play button starts the recording.
    keys.tab_to("audio")
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0.2")

    # A moment in the transcript, chosen with Enter, moves the recording there.
    keys.tab_to('.moment[href="?t=2.8"]')
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('audio').currentTime >= 2.8")
    assert page.locator(".transcript-line[aria-current=true] .line-text").inner_text() == SPOKEN_TRANSCRIPT[2]["text"]

    # "I've experienced this too" is a real form: Enter sends it, and the count and thanks come back.
    keys.press("I've experienced this too")
    page.wait_for_selector(".experienced-thanks")
    assert "1 person has said they have experienced this too" in page.locator(".experienced-count").inner_text()
