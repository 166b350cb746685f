"""The "I've experienced this too" button: anonymous, one per browser (signed cookie), CSRF, rate limited, no JS."""

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


def token_for(client: Client, story) -> str:
    """The form's token; once the browser has said so the form is gone, and its CSRF cookie serves."""
    html = client.get(story.url).content.decode()
    if 'name="csrfmiddlewaretoken"' not in html:
        return client.cookies["csrftoken"].value
    return html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def say_so(client: Client, story):
    return client.post(f"/experienced-too/{story.pk}/", {"csrfmiddlewaretoken": token_for(client, story)})


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


def test_needs_a_csrf_token_a_post_and_a_published_story(story):
    reader = Client(enforce_csrf_checks=True)
    assert reader.post(f"/experienced-too/{story.pk}/").status_code == 403
    assert reader.get(f"/experienced-too/{story.pk}/").status_code == 405
    token = token_for(reader, story)
    story.unpublish()
    assert reader.post(f"/experienced-too/{story.pk}/", {"csrfmiddlewaretoken": token}).status_code == 404
    assert ExperiencedTooCount.for_story(story.pk) == 0


@override_settings(RATELIMIT_ENABLE=True)
def test_is_rate_limited_with_a_kind_page(story):
    statuses = []
    for _ in range(35):
        fresh_browser = Client()  # clearing cookies each time is the trick the limit is for
        statuses.append(fresh_browser.post(f"/experienced-too/{story.pk}/").status_code)
    assert statuses[:30] == [303] * 30
    assert statuses[30:] == [429] * 5
    assert ExperiencedTooCount.for_story(story.pk) == 30
    limited = Client().post(f"/experienced-too/{story.pk}/")
    assert "Please wait a moment" in limited.content.decode() and limited["Retry-After"]
