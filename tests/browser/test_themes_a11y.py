"""/themes/ in a real browser: curated and emerging themes side by side, no axe-core violations (WCAG 2.2 AA rules),
the growth charts drawn without script, and quotes from public stories only."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from moderation.models import ConsentRecord
from research.runs import run_discovery
from research.sample_stories import labelled_stories
from tests.public_site import build_site, theme
from tests.research_site import consented_story

# Browser fixtures (Chromium, a page that fails on script errors or CSP violations) come from tests/browser/conftest.py.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RESEARCHERS_ONLY_MARK = "Zanzibar-researchers-only"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture
def themes_site():
    index = build_site()
    theme("Peer support", description="Finding people who have been there too.")
    for number, story in enumerate(labelled_stories(5)):
        researchers_only = number % 4 == 0
        consented_story(
            index,
            f"{story.text} {RESEARCHERS_ONLY_MARK}." if researchers_only else story.text,
            language=story.language,
            audience=ConsentRecord.Audience.RESEARCHERS if researchers_only else ConsentRecord.Audience.BOTH,
        )
    run_discovery()
    run_discovery()  # a second point on each growth chart


def test_themes_page_has_no_axe_violations_and_quotes_only_public_stories(themes_site, live_server, browser_page):
    response = browser_page.goto(f"{live_server.url}/themes/")

    assert response.status == 200
    assert browser_page.get_by_role("heading", name="Themes emerging from the stories").is_visible()
    # Several themes, each with its growth chart. How well discovery groups stories is judged on real writing
    # (bench/theme_methods.py), not here: these generated stories fall into 7 themes by meaning.
    shown = browser_page.locator(".emerging-theme").count()
    assert shown >= 5
    assert browser_page.locator("svg[role=img] title").count() >= shown
    assert RESEARCHERS_ONLY_MARK not in browser_page.content()
    results = Axe().run(browser_page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()

    # Each emerging theme links to its own page of published stories, which passes too.
    browser_page.locator(".emerging-theme h3 a").first.click()
    assert browser_page.get_by_role("heading", level=1).is_visible()
    assert browser_page.locator(".story-card").count() >= 1
    results = Axe().run(browser_page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()
