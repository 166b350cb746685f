"""In Chromium: the trust pages reached from the footer are axe-clean, and a story's share control works with and
without JavaScript (a link to select and an email link; with JavaScript, a button that copies the link)."""

from urllib.parse import unquote

import pytest
from playwright.sync_api import Page

from base.trust_pages import ensure_trust_pages
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.public_site import build_site, publish_story

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TRUST_PAGES = {
    "About Voicebox": "/about/",
    "Contact us": "/contact/",
    "Privacy": "/privacy/",
    "Accessibility": "/accessibility/",
}


@pytest.fixture
def story():
    index = build_site()
    ensure_trust_pages(index.get_parent())
    return publish_story(index, "Small wins", body=("A notebook of small wins, kept by the bed.",))


def test_the_trust_pages_are_reached_from_the_footer_and_are_axe_clean(live_server, browser_page: Page, story):
    page = browser_page
    for name, path in TRUST_PAGES.items():
        page.goto(live_server.url + story.url)
        footer = page.get_by_role("navigation", name="About this site")
        footer.get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(live_server.url + path)
        assert page.get_by_role("heading", level=1).is_visible()
        assert_no_axe_violations(page)
    page.goto(live_server.url + story.url)
    assert_no_axe_violations(page)


@pytest.mark.browser_context(java_script_enabled=False)
def test_the_share_control_works_without_javascript(live_server, browser_page: Page, story):
    page = browser_page
    page.goto(live_server.url + story.url)
    address = live_server.url + story.url
    link = page.get_by_label("Link to this story")
    assert link.is_visible() and not link.is_editable()
    assert link.input_value() == address
    email = page.get_by_role("link", name="Email a link to this story")
    assert unquote(email.get_attribute("href")) == f"mailto:?subject=Small wins&body=Small wins\n\n{address}"
    assert page.get_by_role("button", name="Copy link").count() == 0, "the copy button is JavaScript's to add"
    # The address can be selected like any text on the page: a reader copies it by hand.
    link.click(click_count=3)
    assert link.evaluate("input => input.value.substring(input.selectionStart, input.selectionEnd)") == address


@pytest.mark.browser_context(permissions=["clipboard-read", "clipboard-write"])
def test_the_copy_button_copies_the_story_s_link(live_server, browser_page: Page, story):
    page = browser_page
    page.goto(live_server.url + story.url)
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + story.url
    assert_no_axe_violations(page)
