"""Keeping control without erasing, in Chromium by keyboard alone, every page checked with axe: take a published
story down for now and put it back from the private page; ask for a new private link after losing it, open the
emailed link, get the new key, and find the old one opens nothing."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Page

from moderation.models import Contribution, StoryStatus
from moderation.workflows import perform_action, start_moderation
from tests.browser.conftest import Keys
from tests.browser.test_share_journeys import assert_no_axe_violations
from tests.factories import ConsentRecordFactory, ContributionFactory
from tests.moderators import moderator
from tests.workers import run_queue

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("story_index"),
]


def published_story(email: str = "") -> Contribution:
    contribution = ContributionFactory(email=email)
    ConsentRecordFactory(contribution=contribution)
    start_moderation(contribution)
    perform_action(contribution.story.specific.current_workflow_task_state, moderator(), "publish")
    run_queue("publication")
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED
    return contribution


def go(page: Page, keys: Keys, name: str) -> None:
    with page.expect_navigation():
        keys.press(name)


def test_take_it_down_for_now_and_put_it_back_by_keyboard(live_server, browser_page):
    page, keys = browser_page, Keys(browser_page)
    contribution = published_story()
    public = f"{live_server.url}{contribution.story.specific.url}"
    assert page.request.get(public).status == 200

    page.goto(f"{live_server.url}/my-story/{contribution.key}/")
    assert_no_axe_violations(page)
    go(page, keys, "Take it down for now")
    assert page.locator("h1").inner_text() == "Take your story down for now?"
    assert_no_axe_violations(page)
    go(page, keys, "Yes, take it down for now")
    assert "Taken down by you for now" in page.content()
    assert_no_axe_violations(page)
    assert page.request.get(public).status == 404

    go(page, keys, "Put it back")
    assert page.locator("h1").inner_text() == "Put your story back?"
    assert_no_axe_violations(page)
    go(page, keys, "Yes, put it back")
    assert "Being published" in page.content()
    run_queue("publication")
    page.reload()
    assert "Your story is published." in page.content()
    assert page.request.get(public).status == 200


def test_a_lost_link_is_replaced_by_keyboard(live_server, browser_page):
    page, keys = browser_page, Keys(browser_page)
    contribution = published_story(email="sam@example.org")
    old_key = contribution.key

    page.goto(f"{live_server.url}/my-story/lost-link/")
    assert_no_axe_violations(page)
    go(page, keys, "Email me a new link")  # nothing typed: the error summary, focused for a screen reader
    assert "Enter the email address you gave us." in page.content()
    assert_no_axe_violations(page)
    keys.type_into("#id_email", "sam@example.org")
    go(page, keys, "Email me a new link")
    assert page.locator("h1").inner_text() == "Check your email"
    assert_no_axe_violations(page)

    run_queue("default")
    (message,) = [m for m in mail.outbox if m.subject == "A new link to your story"]
    link = urlsplit(re.search(r"https?://\S+/my-story/lost-link/\S+/", message.body).group(0)).path
    page.goto(f"{live_server.url}{link}")
    assert_no_axe_violations(page)
    go(page, keys, "Show me my new link")
    assert page.locator("h1").inner_text() == "Your new private link"
    assert_no_axe_violations(page)
    new_link = page.input_value("#story-link")
    go(page, keys, "Open your private page")
    assert page.url == new_link and "Your story" in page.locator("h1").inner_text()

    assert page.request.get(f"{live_server.url}/my-story/{old_key}/").status == 404
    page.goto(f"{live_server.url}{link}")  # used once: a kind refusal
    assert page.locator("h1").inner_text() == "This link no longer works"
    assert_no_axe_violations(page)
