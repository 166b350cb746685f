"""The offer of help to share on the first step of /share/, in Chromium: axe-clean, and its routes work by keyboard."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from contributions.models import SharingHelp
from tests.browser.conftest import Keys
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.factories import site_tree

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_offer_of_help_is_axe_clean_and_reached_by_keyboard(live_server, browser_page):
    site_tree()
    SharingHelp.objects.create(
        site=Site.objects.get(is_default_site=True),
        phone="0161 496 0000",
        phone_hours="Weekdays, 10am to 4pm",
        email="peers@example.org",
        drop_in="Tuesdays 1pm to 3pm at the Recovery College café.",
    )
    page = browser_page
    page.goto(f"{live_server.url}/share/")
    offer = page.get_by_role("region", name="Would you like help to share?")
    expect(offer).to_be_visible()
    assert_no_axe_violations(page)

    keys = Keys(page)
    keys.tab_to('.sharing-help a[href="tel:01614960000"]')
    page.keyboard.press("Tab")
    assert keys.focused('.sharing-help a[href="mailto:peers@example.org"]')
