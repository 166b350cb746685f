"""The key card in Chromium: its QR code, as the browser draws it, decodes to the exact private link; its short code,
typed by hand on "Type the code from your card", opens the same private page; the pages are axe-clean; the print
button prints; and on paper only the card shows, without the site's header and footer."""

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from moderation.models.contributions import story_code
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.factories import ConsentRecordFactory, ContributionFactory, site_tree

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def contribution():
    site_tree()
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution)
    return contribution


def test_the_qr_code_opens_the_private_link(live_server, browser_page, contribution):
    page = browser_page
    link = f"{live_server.url}/my-story/{contribution.key}/"
    page.goto(link + "card/")

    # What the browser drew (the SVG as rendered), not the library's own bitmap.
    shot = Image.open(io.BytesIO(page.locator(".key-card-qr").screenshot()))
    decoded = zxingcpp.read_barcodes(shot)
    assert [(code.format, code.text) for code in decoded] == [(zxingcpp.BarcodeFormat.QRCode, link)]
    assert page.get_by_text("with or without the dashes").is_visible()
    assert_no_axe_violations(page)

    # Scanning it opens the private page.
    page.goto(decoded[0].text)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your story")


def test_the_short_code_typed_by_hand_opens_the_private_page(live_server, browser_page, contribution):
    page = browser_page
    page.goto(f"{live_server.url}/my-story/{contribution.key}/card/")
    code = page.locator(".key-card-code-words").inner_text()
    assert code == story_code(contribution.key)
    expect(page.locator("p.key-card-address")).to_have_text(f"{live_server.url}/my-story/{code}/")

    page.goto(f"{live_server.url}/my-story/code/")
    assert_no_axe_violations(page)
    page.get_by_label("Your code").fill(code[:-1])  # one character short: explained, and what was typed is kept
    page.get_by_role("button", name="Open my private page").click()
    expect(page.locator(".error-summary")).to_contain_text("doesn't look like a code")
    expect(page.get_by_label("Your code")).to_have_value(code[:-1])
    assert_no_axe_violations(page)
    page.get_by_label("Your code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Open my private page").click()
    page.wait_for_url(f"**/my-story/{code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your story")
    # The private page's own links keep to the code: its key card opens from it.
    page.get_by_role("link", name=re.compile("key card", re.I)).first.click()
    expect(page.locator(".key-card-code-words")).to_have_text(code)


def test_on_paper_only_the_card_shows(live_server, browser_page, contribution):
    page = browser_page
    page.goto(f"{live_server.url}/my-story/{contribution.key}/card/")
    print_button = page.get_by_role("button", name="Print this card")
    expect(print_button).to_be_visible()  # shown once the script runs; the browser's own Print command otherwise
    expect(page.locator("[data-print-hint]")).to_be_hidden()
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    print_button.click()
    assert page.evaluate("() => window.printed") == 1

    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-footer", ".key-card-screen-only"):
        expect(page.locator(chrome)).to_be_hidden()
    expect(page.locator(".key-card")).to_be_visible()
    expect(page.locator(".key-card .crisis")).to_be_visible()
    # The code prints at a size a phone camera reads from arm's length (5.5 cm, about 208 CSS pixels).
    assert page.locator(".key-card-qr").bounding_box()["width"] == pytest.approx(5.5 / 2.54 * 96, abs=1)
    shot = Image.open(io.BytesIO(page.locator(".key-card-qr").screenshot()))
    assert [code.text for code in zxingcpp.read_barcodes(shot)] == [f"{live_server.url}/my-story/{contribution.key}/"]
    page.pdf()  # Chromium lays the card out for paper without an error
