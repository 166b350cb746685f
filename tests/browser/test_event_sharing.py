"""Sharing at an event in Chromium (issue 16): three people share in turn on one browser, and none can see another's
answers or private link, not even by pressing the browser's Back button; the event's pages are axe-clean, and its
link after the end date answers the kind "this event has ended" page."""

import datetime
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from contributions.models import EventStory, SharingEvent
from moderation.models import Contribution
from moderation.models.contributions import story_code
from tests.browser.conftest import sign_in_to_admin
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.moderators import peer_moderator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("story_index"),
]

# The form drops anything sent within a few seconds of starting; a person always takes longer than this.
HUMAN_SECONDS = 3.5
ANSWER_FIELDS = "input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([readonly]), textarea"


def an_event(**overrides) -> SharingEvent:
    today = timezone.localdate()
    fields = {"name": "Recovery College open day", "starts_on": today, "ends_on": today, "place": "The café"}
    return SharingEvent.objects.create(facilitator="Pat, peer worker", **{**fields, **overrides})


def share_in_turn(page: Page, person: int) -> str:
    """One person's turn from the first step to the done page; returns the private link shown to them."""
    page.wait_for_url("**/share/")
    started = time.monotonic()
    page.check('input[name="method"][value="write"]')
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/share/story/")
    page.fill("#id_title", f"Title of person {person}")
    page.fill("#id_text", f"The private words of person {person}.")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/share/choices/")
    page.check('input[name="audience"][value="public"]')
    page.check('input[name="identity"][value="anonymous"]')
    page.fill("#id_email", f"person{person}@example.org")
    page.check("#id_agree")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/share/check/")
    page.wait_for_timeout(max(0, HUMAN_SECONDS - (time.monotonic() - started)) * 1000)
    page.get_by_role("button", name="Send my story").click()
    page.wait_for_url("**/share/done/")
    link = page.input_value("#story-link")
    assert re.fullmatch(r"http://[^/]+/my-story/[A-Za-z0-9_-]{43}/", link)
    return link


def assert_nothing_of(page: Page, people: range, links: list[str]) -> None:
    """The page shows no one's answers or link, and every answer field on it is empty and nothing is chosen."""
    html = page.content()
    for person in people:
        for trace in (f"person {person}", f"person{person}@example.org"):
            assert trace not in html, (page.url, trace)
    for link in links:
        assert link.rsplit("/", 2)[1] not in html, page.url
    assert "/my-story/" not in html, page.url
    assert all(value == "" for value in page.eval_on_selector_all(ANSWER_FIELDS, "els => els.map(e => e.value)"))
    assert not page.eval_on_selector_all("input:checked", "els => els.length"), page.url


def test_three_people_in_a_row_on_one_browser_none_sees_another(live_server, browser_page):
    event = an_event()
    page = browser_page
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Start sharing").click()

    links: list[str] = []
    for person in (1, 2, 3):
        link = share_in_turn(page, person)
        assert not any(earlier.rsplit("/", 2)[1] in page.content() for earlier in links)
        links.append(link)
        if person == 1:
            assert_no_axe_violations(page)

        # Back from the done page, as this person (or anyone) could: the session was flushed at the submit.
        page.go_back()
        page.wait_for_load_state()
        assert_nothing_of(page, range(1, person + 1), links)
        page.go_forward()
        page.wait_for_url("**/share/done/")
        assert "Your private link was shown on this page just after you sent your story" in page.content()
        assert_nothing_of(page, range(1, person + 1), links)

        # Hand the device on; the next person presses Back as far as it goes and finds nothing.
        page.get_by_role("button", name="I'm done: start again for the next person").click()
        page.wait_for_url("**/share/")
        for _ in range(4):
            page.go_back()
            page.wait_for_load_state()
            assert_nothing_of(page, range(1, person + 1), links)
        page.goto(f"{live_server.url}{event.get_absolute_url()}")
        page.get_by_role("button", name="Start sharing").click()

    stories = Contribution.objects.filter(channel=Contribution.Channel.EVENT)
    assert stories.count() == 3
    assert EventStory.objects.filter(event=event).count() == 3


def test_the_key_card_at_an_event_comes_from_the_session_and_is_gone_for_the_next_person(live_server, browser_page):
    event = an_event()
    page = browser_page
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.get_by_role("button", name="Start sharing").click()
    link = share_in_turn(page, 1)
    assert_no_axe_violations(page)  # the done page with the event's hand-on section
    page.get_by_role("link", name="Print a key card with your link").click()
    page.wait_for_url("**/share/event/card/")
    key = link.rsplit("/", 2)[1]
    assert story_code(key) in page.content()  # their own code, on their card
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Back to the end of sharing").click()
    page.wait_for_url("**/share/done/")
    page.get_by_role("button", name="I'm done: start again for the next person").click()
    page.wait_for_url("**/share/")
    page.go_back()  # the done page, asked again
    page.go_back()  # the key card, asked again: gone
    page.wait_for_load_state()
    assert key not in page.content() and story_code(key) not in page.content()
    assert "Your key card" not in page.content()


def test_the_event_link_after_its_end_date_is_a_kind_axe_clean_410(live_server, browser_page):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    event = an_event(starts_on=yesterday, ends_on=yesterday)
    response = browser_page.goto(f"{live_server.url}{event.get_absolute_url()}")
    assert response.status == 410
    assert browser_page.get_by_role("heading", name="This event has ended").is_visible()
    assert_no_axe_violations(browser_page)


def test_the_event_link_before_its_start_date_is_a_kind_axe_clean_page(live_server, browser_page):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    event = an_event(starts_on=tomorrow, ends_on=tomorrow)
    response = browser_page.goto(f"{live_server.url}{event.get_absolute_url()}")
    assert response.status == 403
    assert browser_page.get_by_role("heading", name="This event hasn't started yet").is_visible()
    assert_no_axe_violations(browser_page)


def test_a_peer_worker_creates_an_event_in_the_admin_and_opens_its_link(live_server, browser_page):
    """Under the admin's CSP with no script error: the form (its date pickers too), then the list with the link."""
    page = browser_page
    sign_in_to_admin(page, live_server, peer_moderator())
    page.get_by_role("link", name="Sharing events").click()
    page.get_by_role("link", name="Add sharing event").first.click()
    today = timezone.localdate().isoformat()
    page.fill("#id_name", "Allotment afternoon")
    page.fill("#id_starts_on", today)
    page.fill("#id_ends_on", today)
    page.fill("#id_place", "Northside allotments")
    page.fill("#id_facilitator", "Pat, peer worker")
    # Sent with Enter from the last field: the admin's date picker, opened by typing a date, can cover "Save".
    page.press("#id_facilitator", "Enter")
    page.wait_for_url("**/admin/snippets/contributions/sharingevent/")
    event = SharingEvent.objects.get()
    assert event.starts_on.isoformat() == event.ends_on.isoformat() == today
    assert page.get_by_text(event.get_absolute_url()).is_visible()
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    assert page.get_by_role("heading", name="Share your story at Allotment afternoon").is_visible()
