"""The interface in Welsh and Spanish, in Chromium: a whole share in Welsh by keyboard, axe-clean at every step, and
the public pages axe-clean in every language, each reached from the language switcher.

The words the test presses and looks for are the catalogue's own translations (read with gettext), checked to differ
from the English, so the test follows the translators' wording and still fails if a step is left in English."""

import re
import time

import pytest
from django.conf import settings
from django.utils import translation

from moderation.models import ConsentRecord, ConsentText, Contribution
from tests.browser.conftest import Keys
from tests.browser.test_accessibility import (
    assert_no_axe_violations,
    public_paths,  # noqa: F401 (a fixture)
)
from tests.browser.test_share_journeys import HUMAN_SECONDS, WITH_JS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def said_in(code: str, english: str) -> str:
    with translation.override(code):
        words = translation.gettext(english)
    assert words != english, f"“{english}” is not translated into {code}"
    return words


@WITH_JS
@pytest.mark.usefixtures("story_index")
def test_a_whole_share_in_welsh_by_keyboard(live_server, browser_page):
    page = browser_page
    keys = Keys(page)
    page.goto(f"{live_server.url}/")
    keys.press("Cymraeg")  # the language switcher, named in its own language
    page.wait_for_url(f"{live_server.url}/cy/")
    assert page.locator("html").get_attribute("lang") == "cy"
    keys.press(said_in("cy", "Share your story"))
    page.wait_for_url("**/cy/share/")
    assert_no_axe_violations(page)
    started = time.monotonic()
    keys.choose("method", "write")
    keys.press(said_in("cy", "Continue"))

    page.wait_for_url("**/cy/share/story/")
    assert_no_axe_violations(page)
    keys.type_into("#id_title", "Y bore ar ôl")
    keys.type_into("#id_text", "Roedd y nosweithiau'n hir.\n\nErbyn hyn rydw i'n cerdded bob bore.")
    keys.press(said_in("cy", "Continue"))

    page.wait_for_url("**/cy/share/choices/")
    assert_no_axe_violations(page)
    consent = ConsentText.current("cy")
    assert consent.language == "cy" and page.get_by_text(consent.title).first.is_visible()
    keys.choose("audience", "public")
    keys.choose("identity", "anonymous")
    keys.tick("#id_agree")
    keys.press(said_in("cy", "Continue"))

    page.wait_for_url("**/cy/share/check/")
    assert_no_axe_violations(page)
    assert "Roedd y nosweithiau'n hir." in page.content()
    # A person takes longer than the form's too-fast guard.
    page.wait_for_timeout(max(0, HUMAN_SECONDS - (time.monotonic() - started)) * 1000)
    keys.press(said_in("cy", "Send my story"))

    page.wait_for_url("**/cy/share/done/")
    assert_no_axe_violations(page)
    link = page.input_value("#story-link")
    assert re.fullmatch(r"http://[^/]+/cy/my-story/[A-Za-z0-9_-]{43}/", link)
    keys.press(said_in("cy", "Open your private page"))
    page.wait_for_url(link)
    assert page.locator("html").get_attribute("lang") == "cy"
    assert_no_axe_violations(page)

    contribution = Contribution.objects.get()
    assert contribution.interface_language == "cy"
    assert ConsentRecord.objects.get(contribution=contribution).consent_text == consent
    # The contributor's other pages, in Welsh and axe-clean too.
    for page_of_theirs in ("withdraw/", "card/"):
        assert page.goto(link + page_of_theirs).status == 200
        assert page.locator("html").get_attribute("lang") == "cy"
        assert_no_axe_violations(page)


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_public_pages_have_no_axe_violations_in_every_language(live_server, browser_page, public_paths, code):  # noqa: F811
    page = browser_page
    for path in public_paths:
        response = page.goto(f"{live_server.url}/{code}{path}")
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == code, path
        current = page.locator(".language-switcher a[aria-current]")
        assert current.get_attribute("hreflang") == code, path
        assert_no_axe_violations(page)
