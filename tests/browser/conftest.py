"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's `live_server`.

    chromium            one headless Chromium per session, with a fake microphone and camera (MediaRecorder works)
    browser_context     a fresh context per test (its own cookies); pass options with @pytest.mark.browser_context(...)
    browser_page        a page in that context; a script error or a CSP violation fails the test
    Keys(page)          moving through a page by keyboard alone (Tab, Shift+Tab, arrows, Space, Enter)
    sign_in_to_admin(page, live_server, user)   the admin's sign-in form, then a code from the authenticator app

Every test in this directory is marked `browser`. The live server runs in another thread, so tests need committed
data: mark them `django_db(transaction=True, serialized_rollback=True)` (serialized_rollback puts back the rows the
migrations made, such as Wagtail's root page and the first consent text, for the tests that follow).
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, sync_playwright

from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import require_service_in_ci


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser_context(**options): options for Playwright's new_context()")


@pytest.fixture(scope="session")
def chromium():
    require_service_in_ci(CHROMIUM.exists(), "Chromium at /usr/bin/chromium (apt-get install -y chromium)")
    # Playwright's sync API keeps an asyncio loop on this thread, which Django takes for async code and refuses
    # database access; the test thread's queries are ordinary synchronous ones, so the check is switched off here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context(request, chromium):
    marker = request.node.get_closest_marker("browser_context")
    context = chromium.new_context(**(marker.kwargs if marker else {}))
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def browser_page(browser_context, live_server):
    """A page on the live server. Rate-limit counters start empty (the server shares this process's cache)."""
    cache.clear()
    page = browser_context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    assert problems == [], "\n".join(problems)


def sign_in_to_admin(page: Page, live_server, user) -> None:
    """Sign in as a person would: the admin's sign-in form, then the second factor (a user from tests.moderators)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.moderators import PASSWORD, fresh_code

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/two-step/verify/**")
    # Not inside [data-sprite]: the admin's icon-sprite request is itself sent to this page while the second factor
    # is pending, and Wagtail's script pastes whatever comes back there (reported; the sprite URL needs exempting).
    code = page.locator("input[name=token]:not([data-sprite] *)")
    code.fill(fresh_code(TOTPDevice.objects.get(user=user)))
    code.press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")


class Keys:
    """Moving through a page the way a keyboard user does: only key presses move focus and make choices."""

    MAX_PRESSES = 80

    def __init__(self, page: Page):
        self.page = page

    def focused(self, selector: str) -> bool:
        return self.page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)

    def focused_control_named(self, name: str) -> bool:
        return self.page.evaluate(
            """name => {
                const element = document.activeElement;
                return !!element && ["A", "BUTTON"].includes(element.tagName) && element.textContent.trim() === name;
            }""",
            name,
        )

    def _tab_until(self, arrived, what: str, backwards: bool) -> None:
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(self.MAX_PRESSES):
            self.page.keyboard.press(key)
            if arrived():
                return
        raise AssertionError(f"{what} never received keyboard focus")

    def tab_to(self, selector: str, *, backwards: bool = False) -> None:
        self._tab_until(lambda: self.focused(selector), selector, backwards)

    def type_into(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(text, delay=5)

    def choose(self, name: str, value: str) -> None:
        """Tab into a radio group, then use the arrow keys (or Space) until `value` is chosen."""
        self.tab_to(f'input[type="radio"][name="{name}"]')
        target = f'input[name="{name}"][value="{value}"]'
        for _ in range(self.MAX_PRESSES):
            if self.focused(target):
                break
            self.page.keyboard.press("ArrowDown")
        else:
            raise AssertionError(f"{target} could not be reached with the arrow keys")
        if not self.page.is_checked(target):
            self.page.keyboard.press("Space")
        assert self.page.is_checked(target)

    def tick(self, selector: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.press("Space")
        assert self.page.is_checked(selector)

    def press(self, name: str, *, backwards: bool = False) -> None:
        """Tab to the button or link called `name` and press Enter."""
        self._tab_until(lambda: self.focused_control_named(name), f"“{name}”", backwards)
        self.page.keyboard.press("Enter")
