"""The admin's two-step sign-in in Chromium, under the admin's Content-Security-Policy: a wrong code says so where it
can be seen; a peer moderator without a phone signs in with a backup code a superuser issued; setting up an
authenticator works, and then one's own backup codes are a few clicks away; no page asks any host but this one (no
avatar service), nor is any of the admin's own assets (the translations catalogue, the icon sprite) turned away before
the second step. The browser_page fixture fails a test on any script error or CSP violation in the console; every page
here is also checked for violation events."""

import io
import re

import pytest
import zxingcpp
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import Page, expect

from base.models import StandardPage
from moderation import roles
from tests.browser.conftest import sign_in_to_admin
from tests.moderators import PASSWORD, make_user, moderator, peer_moderator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VIOLATIONS = """
window.cspViolations = [];
document.addEventListener(
  "securitypolicyviolation", e => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`)
);
"""


@pytest.fixture
def watched(browser_page, live_server):
    """The page, with every request it makes and every admin asset answered with a redirect written down."""
    page = browser_page
    page.add_init_script(VIOLATIONS)
    requests, redirected = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "response",
        lambda response: (
            redirected.append(response.url)
            if response.request.resource_type != "document" and 300 <= response.status < 400
            else None
        ),
    )
    yield page, requests, redirected
    outside = [url for url in requests if not url.startswith((live_server.url, "data:", "blob:"))]
    assert outside == [], "requests to other hosts"
    assert redirected == [], "assets the two-step enforcement turned away"


def no_violations(page: Page) -> None:
    assert page.evaluate("window.cspViolations") == [], page.url


def password_step(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def code_field(page: Page):
    return page.get_by_label("Code from your authenticator app")


def test_a_wrong_code_shows_a_visible_kind_error(watched, live_server):
    page, requests, _ = watched
    user = moderator()
    password_step(page, live_server, user.username)
    page.wait_for_url("**/admin/two-step/verify/**")
    assert any("/admin/jsi18n/" in url for url in requests), "the verify page loads the admin's translations"
    code_field(page).fill("123456")
    code_field(page).press("Enter")

    error = page.get_by_role("status").get_by_text("That code did not match.")
    expect(error).to_be_visible()
    assert error.bounding_box()["height"] > 0 and error.is_visible()
    assert "wait a few seconds" in error.inner_text()
    no_violations(page)


def test_a_peer_moderator_without_a_phone_signs_in_with_a_backup_code_a_superuser_issued(
    watched, browser_context, live_server
):
    page, _, _ = watched
    superuser = make_user("root", superuser=True)
    peer = peer_moderator()
    TOTPDevice.objects.filter(user=peer).delete()

    sign_in_to_admin(page, live_server, superuser)
    no_violations(page)
    page.goto(f"{live_server.url}/admin/users/")
    # The listing's date filters: Wagtail's pickers, started without inline script (static/js/admin_choosers.js).
    assert page.locator(".xdsoft_datetimepicker").count() >= 2
    row = page.get_by_role("row").filter(has_text=peer.username)
    row.get_by_role("button", name=re.compile("More options")).click()
    row.page.get_by_role("link", name="Issue backup codes").click()
    page.get_by_role("button", name="Make 10 new backup codes").click()
    expect(page.locator("ol.backup-codes code")).to_have_count(10)
    codes = page.locator("ol.backup-codes code").all_inner_texts()
    no_violations(page)
    trust_page = StandardPage.objects.first()  # a page with rich text in a StreamField, made by a data migration
    for path in ("/admin/pages/", f"/admin/pages/{trust_page.pk}/edit/", "/admin/reports/site-history/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1").first).to_be_visible()
        no_violations(page)
    expect(page.get_by_text("Backup codes issued").first).to_be_visible()

    browser_context.clear_cookies()
    password_step(page, live_server, peer.username)
    page.wait_for_url("**/admin/two-step/verify/**")
    code_field(page).fill(codes[0])
    code_field(page).press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.get_by_text("You signed in with a backup code; 9 left.")).to_be_visible()
    no_violations(page)
    for path in ("/admin/moderation/", "/admin/account/", "/admin/two-step/backup-codes/"):
        page.goto(f"{live_server.url}{path}")
        assert page.url == f"{live_server.url}{path}"
        expect(page.locator("h1").first).to_be_visible()
        no_violations(page)


def test_setting_up_an_authenticator_works_under_the_admin_policy(watched, live_server):
    page, _, _ = watched
    newcomer = make_user("newcomer", roles.MODERATORS)
    TOTPDevice.objects.filter(user=newcomer).delete()

    password_step(page, live_server, "newcomer")
    page.wait_for_url("**/admin/two-step/setup/**")
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    no_violations(page)
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    # What a phone's camera sees: the code as Chromium drew it holds the authenticator's address, key included.
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [code.text for code in decoded] == [device.config_url]
    code = str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(6)
    code_field(page).fill(code)
    code_field(page).press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.get_by_text("make backup codes under Account")).to_be_visible()
    no_violations(page)

    # From the account page to a set of backup codes of one's own.
    page.goto(f"{live_server.url}/admin/account/")
    page.get_by_role("tab", name="Actions").click()
    page.get_by_role("link", name="Backup codes").click()
    expect(page.get_by_text("You have 0 unused backup codes.")).to_be_visible()
    page.get_by_role("button", name="Make 10 new backup codes").click()
    expect(page.locator("ol.backup-codes code")).to_have_count(10)
    no_violations(page)
