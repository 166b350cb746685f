"""The admin still works in a real browser under Voicebox's security headers: the public pages' strict CSP is
relaxed only for the admin (stories.middleware), and no script error or CSP violation happens on the way through
sign-in, the page explorer, the page editor and its live preview. A story itself is never edited there (only
publication and the contributor change it): its editor sends everyone, superusers included, to the review screen."""

import pytest

from demo.content import load_demo
from stories.models import StoryIndexPage, StoryPage
from tests.browser.conftest import sign_in_to_admin
from tests.moderators import make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_editor_signs_in_edits_a_page_with_preview_and_is_sent_to_review_for_a_story(browser_page, live_server):
    load_demo(log=lambda message: None)
    editor = make_user("editor", superuser=True)
    page = browser_page

    public = page.goto(f"{live_server.url}/")
    assert "script-src 'self'" in public.all_headers()["content-security-policy"]
    sign_in_to_admin(page, live_server, editor)
    assert page.locator("h1").first.is_visible()

    index = StoryIndexPage.objects.get()
    page.goto(f"{live_server.url}/admin/pages/{index.pk}/")
    assert page.get_by_role("link", name="Reading aloud at night").first.is_visible()
    story = StoryPage.objects.get(slug="reading-aloud-at-night")
    page.goto(f"{live_server.url}/admin/pages/{story.pk}/edit/")
    assert not page.url.endswith(f"/{story.pk}/edit/"), "a story's page editor must not open"
    assert page.locator("#id_title").count() == 0

    page.goto(f"{live_server.url}/admin/pages/{index.pk}/edit/")
    assert page.locator("#id_title").input_value() == index.title
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("iframe[title='Preview']").first
    assert preview.locator("h1").first.inner_text(timeout=20_000) == index.title
