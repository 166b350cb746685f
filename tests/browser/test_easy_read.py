"""In Chromium: the easy-read pages are reached by keyboard from /share/ and from the policy, each one is axe-clean,
and its pictures load."""

import pytest
from playwright.sync_api import Page

from base.easy_read import ensure_easy_read_pages
from tests.browser.conftest import Keys
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.public_site import build_site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site():
    ensure_easy_read_pages(build_site().get_parent())


def follow_by_keyboard(page: Page, keys: Keys, href: str, url: str) -> None:
    keys.tab_to(f'a[href="{href}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(url)
    assert page.get_by_role("heading", level=1).is_visible()


def assert_pictures_load(page: Page) -> None:
    pictures = page.locator(".easy-read-picture")
    assert pictures.count() > 0
    for picture in pictures.all():
        assert picture.get_attribute("alt")
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0"), picture.get_attribute("src")


def test_easy_read_is_reached_by_keyboard_from_share_and_is_axe_clean(live_server, browser_page: Page, site):
    page, keys = browser_page, Keys(browser_page)
    page.goto(live_server.url + "/share/")
    follow_by_keyboard(page, keys, "/easy-read/sharing/", live_server.url + "/easy-read/sharing/")
    assert_pictures_load(page)
    assert_no_axe_violations(page)
    follow_by_keyboard(page, keys, "/easy-read/", live_server.url + "/easy-read/")
    assert_no_axe_violations(page)
    for path in ("/easy-read/consent/", "/easy-read/policy/"):
        page.goto(live_server.url + "/easy-read/")
        follow_by_keyboard(page, keys, path, live_server.url + path)
        assert_pictures_load(page)
        assert_no_axe_violations(page)


def test_the_policy_links_to_its_easy_read_version(live_server, browser_page: Page, site):
    page, keys = browser_page, Keys(browser_page)
    page.goto(live_server.url + "/policy/")
    assert_no_axe_violations(page)
    follow_by_keyboard(page, keys, "/easy-read/policy/", live_server.url + "/easy-read/policy/")
