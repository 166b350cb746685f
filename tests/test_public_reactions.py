"""The "I've experienced this too" button: anonymous, one per browser (signed cookie), refused from other sites,
rate limited, no JS."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from stories.models import ExperiencedTooCount
from stories.reactions import COOKIE_NAME
from tests.public_site import build_site, publish_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    cache.clear()
    return publish_story(build_site(), "Shared feeling", body=("Words.",))


def say_so(client: Client, story, headers: dict | None = None):
    """Press the button as Chromium does: its form post says it comes from this very site. A header given as None is
    not sent."""
    headers = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver", **(headers or {})}
    sent = {name: value for name, value in headers.items() if value is not None}
    return client.post(f"/experienced-too/{story.pk}/", headers=sent)


def test_counts_once_per_browser_and_works_without_javascript(story):
    reader = Client(enforce_csrf_checks=True)
    response = say_so(reader, story)
    assert response.status_code == 303 and response["Location"] == f"{story.url}#experienced-too"
    assert ExperiencedTooCount.for_story(story.pk) == 1
    # The same browser again: thanked, not counted twice.
    assert say_so(reader, story).status_code == 303
    assert ExperiencedTooCount.for_story(story.pk) == 1
    assert "Thank you for saying" in reader.get(story.url).content.decode()

    another = Client(enforce_csrf_checks=True)
    say_so(another, story)
    assert ExperiencedTooCount.for_story(story.pk) == 2
    assert "2 people have said they have experienced this too" in another.get(story.url).content.decode()


def test_the_cookie_is_signed_and_holds_no_more_than_story_numbers(story):
    reader = Client(enforce_csrf_checks=True)
    response = say_so(reader, story)
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie.value.split(":")[0] == str(story.pk)
    # A forged cookie is ignored: the reader counts (once) as a new browser.
    forger = Client(enforce_csrf_checks=True)
    forger.cookies[COOKIE_NAME] = str(story.pk)
    say_so(forger, story)
    assert ExperiencedTooCount.for_story(story.pk) == 2


def test_reading_a_story_sets_no_cookie_and_the_form_needs_no_token(story):
    reader = Client(enforce_csrf_checks=True)
    for _ in range(2):  # rendered, then from the page cache
        page = reader.get(story.url)
        assert not page.cookies
        assert 'action="/experienced-too/' in page.content.decode()
        assert "csrfmiddlewaretoken" not in page.content.decode()
    assert say_so(reader, story).status_code == 303
    assert ExperiencedTooCount.for_story(story.pk) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://other.testserver"},
        # A browser that sends no Sec-Fetch-Site still says where a form was posted from.
        {"Sec-Fetch-Site": None, "Origin": "https://elsewhere.example"},
        {"Sec-Fetch-Site": None, "Origin": "https://testserver"},
        {"Sec-Fetch-Site": None, "Origin": "null"},
    ],
)
def test_a_post_from_another_site_is_refused_and_not_counted(story, headers):
    forged = say_so(Client(enforce_csrf_checks=True), story, headers)
    assert forged.status_code == 403
    assert "Please send that again" in forged.content.decode()  # the site's kind page, not Django's bare one
    assert ExperiencedTooCount.for_story(story.pk) == 0


@override_settings(CSRF_TRUSTED_ORIGINS=["https://voicebox.example.org"])
def test_this_site_trusted_origins_and_requests_without_browser_headers_are_allowed(story):
    for origin in ("http://testserver", "https://voicebox.example.org", None):
        assert say_so(Client(), story, {"Sec-Fetch-Site": None, "Origin": origin}).status_code == 303
    assert ExperiencedTooCount.for_story(story.pk) == 3


def test_needs_a_post_and_a_published_story(story):
    reader = Client()
    assert reader.get(f"/experienced-too/{story.pk}/").status_code == 405
    story.unpublish()
    assert say_so(reader, story).status_code == 404
    assert ExperiencedTooCount.for_story(story.pk) == 0


@override_settings(RATELIMIT_ENABLE=True)
def test_is_rate_limited_with_a_kind_page(story):
    statuses = []
    for _ in range(35):
        fresh_browser = Client()  # clearing cookies each time is the trick the limit is for
        statuses.append(say_so(fresh_browser, story).status_code)
    assert statuses[:30] == [303] * 30
    assert statuses[30:] == [429] * 5
    assert ExperiencedTooCount.for_story(story.pk) == 30
    limited = say_so(Client(), story)
    assert "Please wait a moment" in limited.content.decode() and limited["Retry-After"]
