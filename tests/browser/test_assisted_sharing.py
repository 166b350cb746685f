"""Sharing a story with someone in the admin, in Chromium: a peer worker signs in (two steps), enters a person's
story as they say it, with a mistake to fix on the way; every screen is axe-clean, and the key is shown once."""

import pytest
from playwright.sync_api import expect

from moderation.models import Contribution
from moderation.models.contributions import story_code
from tests.browser.conftest import sign_in_to_admin
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.factories import site_tree
from tests.moderators import peer_moderator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_peer_worker_shares_a_story_with_someone(live_server, browser_page):
    site_tree()
    page = browser_page
    sign_in_to_admin(page, live_server, peer_moderator())
    page.get_by_role("link", name="Share a story with someone").click()
    expect(page.get_by_role("heading", name="How are they telling their story?")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="They tell it, and you type it as they say it").click()
    expect(page.get_by_role("heading", name="Their story", exact=True)).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("A title for your story").fill("Tea at the drop-in")
    page.get_by_label("Your story", exact=True).fill("They listened to me.\n\nThat was the start.")
    page.get_by_label("Everyone, and researchers may use it").check()
    page.get_by_label("Anonymous").check()
    page.get_by_label("They heard or read the words above").check()
    # How they agreed is not answered: the page says so, and keeps what was typed.
    page.get_by_role("button", name="Send their story").click()
    expect(page.get_by_text("Say how they agreed to the words above.")).to_be_visible()
    expect(page.get_by_label("A title for your story")).to_have_value("Tea at the drop-in")
    assert_no_axe_violations(page)

    page.get_by_label("You read the words aloud to them").check()
    page.get_by_label("They heard or read the words above").check()
    page.get_by_role("button", name="Send their story").click()
    expect(page.get_by_role("heading", name="Their story has been sent")).to_be_visible()
    assert_no_axe_violations(page)
    key = page.locator("[data-story-key]").inner_text()
    assert Contribution.objects.get().channel == "assisted"

    with page.expect_popup() as opened:
        page.get_by_role("link", name="Print their key card").click()
    card = opened.value
    expect(card.get_by_text(story_code(key)).first).to_be_visible()  # the card prints the key's short code
    assert key not in card.url
    card.close()

    page.reload()
    expect(page.get_by_text("shown on this page once")).to_be_visible()
    assert key not in page.content()
