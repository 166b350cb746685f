"""The shorter choices step and changing choices later, in Chromium by keyboard alone, axe-clean: share a story named
by a first name (typed in the box inside the naming question) with "more choices" opened from the keyboard, then go
anonymous from the private page, which applies at once."""

import time

import pytest
from playwright.sync_api import Page

from moderation.models import ConsentRecord, Contribution
from stories.models import StoryPage
from tests.browser.conftest import Keys
from tests.browser.test_share_journeys import WITH_JS, assert_no_axe_violations, send

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("story_index"),
]


def share_named_story(page: Page, base: str, *, javascript: bool) -> str:
    page.goto(f"{base}/share/")
    started = time.monotonic()
    keys = Keys(page)
    keys.choose("method", "write")
    keys.press("Continue")
    page.wait_for_url("**/share/story/")
    assert page.get_by_text("What would you want services to know?").is_visible()
    keys.type_into("#id_title", "My first name on it")
    keys.type_into("#id_text", "What helped was a peer worker.")
    keys.tab_to("#id_perspective")
    page.keyboard.press("ArrowDown")  # a person who uses services
    keys.press("Continue")
    page.wait_for_url("**/share/choices/")
    assert_no_axe_violations(page)

    keys.choose("audience", "both")
    keys.choose("identity", "anonymous")
    # With JavaScript the name box goes while "anonymous" is chosen; without it, it is always there (and not used).
    assert page.is_visible("#id_display_name") is not javascript
    keys.choose("identity", "first_name")
    assert page.is_visible("#id_display_name")
    keys.type_into("#id_display_name", "Ade")
    keys.tab_to("details.more-choices > summary")
    page.keyboard.press("Enter")  # "More choices" opens from the keyboard, with or without JavaScript
    assert page.is_visible("#id_minimal_edits_0")
    keys.choose("minimal_edits", "yes")
    keys.tick("#id_agree")
    assert_no_axe_violations(page)
    keys.press("Continue")
    page.wait_for_url("**/share/check/")
    assert "Ade" in page.content() and "A person who uses services" in page.content()
    return send(page, keys, started)


@WITH_JS
def test_share_with_the_shorter_choices_then_go_anonymous_by_keyboard(live_server, browser_page):
    page = browser_page
    link = share_named_story(page, live_server.url, javascript=True)
    story = StoryPage.objects.get()
    assert (story.display_name, story.perspective) == ("Ade", "service_user")
    consent = ConsentRecord.objects.get()
    assert (consent.identity, consent.audience, consent.research_use) == ("first_name", "both", True)
    assert consent.minimal_edits_preauthorised is True

    page.goto(link)
    keys = Keys(page)
    keys.press("Change your choices")
    page.wait_for_url(f"{link}choices/")
    assert_no_axe_violations(page)
    assert page.is_checked('input[name="identity"][value="first_name"]')
    keys.choose("identity", "anonymous")
    keys.tick("#id_agree")
    keys.press("Save my choices")
    page.wait_for_url(f"{link}choices/?done=applied")
    assert page.get_by_role("status").inner_text().startswith("Your choices are changed.")
    assert_no_axe_violations(page)

    contribution = Contribution.objects.get()
    assert contribution.consents.count() == 2
    assert contribution.consents.first().identity == ConsentRecord.Identity.ANONYMOUS
    story = StoryPage.objects.get()
    assert story.get_latest_revision_as_object().display_name == ""
