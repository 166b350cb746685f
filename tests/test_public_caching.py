"""The public page cache: anonymous pages are stored, per-reader parts are filled in, and changes invalidate at once.

Invalidation is tested with both cache backends Voicebox runs on: local memory (the default) and Redis.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings

from stories.reactions import COOKIE_NAME
from tests.public_site import SPOKEN_TRANSCRIPT, publish_story, theme
from tests.services import REDIS_URL, redis_reachable

pytestmark = pytest.mark.django_db

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public-cache-test"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request):
    if request.param == "redis":
        from tests.conftest import require_service_in_ci

        require_service_in_ci(redis_reachable(), "Redis")
    with override_settings(CACHES=LOCMEM if request.param == "locmem" else REDIS):
        cache.clear()
        yield request.param
        cache.clear()


def get(client, path, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return response


def test_anonymous_pages_are_served_from_the_cache(client, index, cache_backend):
    story = publish_story(index, "Cached story", body=("Words.",))
    for path in ["/", "/stories/", story.url, "/themes/", "/themes/?page=2", "/feeds/stories/", "/feeds/podcast/"]:
        assert get(client, path)["X-Voicebox-Cache"] == "miss", path
        assert get(client, path)["X-Voicebox-Cache"] == "hit", path
    # Search answers are always fresh: any text could be searched for, and would fill the cache.
    assert "X-Voicebox-Cache" not in get(client, "/search/?q=words")


def test_publish_edit_unpublish_and_delete_invalidate(client, index, cache_backend):
    first = publish_story(index, "First story", body=("Original words.",))
    get(client, "/stories/"), get(client, first.url)

    second = publish_story(index, "Second story", body=("x",))
    assert "Second story" in get(client, "/stories/").content.decode()

    first.body = [("paragraph", "Edited words.")]
    first.save_revision().publish()
    assert "Edited words." in get(client, first.url).content.decode()

    second.unpublish()
    assert "Second story" not in get(client, "/stories/").content.decode()
    assert client.get(second.url).status_code == 404

    get(client, first.url)
    first.delete()
    assert client.get(first.url).status_code == 404
    assert "First story" not in get(client, "/stories/").content.decode()


def test_theme_changes_invalidate(client, index, cache_backend):
    family = theme("Family")
    publish_story(index, "A story", body=("x",), themes=(family,))
    get(client, "/themes/")
    family.name = "Families and carers"
    family.save()
    assert "Families and carers" in get(client, "/themes/").content.decode()


def test_a_cached_page_gives_each_reader_their_own_count_and_sets_no_cookie(client, index, cache_backend):
    from django.test import Client

    story = publish_story(index, "Shared feeling", transcript=SPOKEN_TRANSCRIPT, story_format="text")
    get(client, story.url)  # stores the page

    other_reader = Client(enforce_csrf_checks=True)
    page = get(other_reader, story.url)
    assert page["X-Voicebox-Cache"] == "hit"
    assert "vb-hole" not in page.content.decode()
    assert not page.cookies
    response = other_reader.post(f"/experienced-too/{story.pk}/", headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303
    assert COOKIE_NAME in response.cookies

    after = get(other_reader, story.url)
    assert after["X-Voicebox-Cache"] == "hit"
    assert "1 person has said they have experienced this too" in after.content.decode()
    assert "Thank you for saying" in after.content.decode()
    # The first reader shares the cached page but not the other reader's thank-you.
    first_reader_html = get(client, story.url).content.decode()
    assert "1 person has said" in first_reader_html and "Thank you for saying" not in first_reader_html


def test_signed_in_editors_and_posts_bypass_the_cache(client, index, admin_user, cache_backend):
    story = publish_story(index, "A story", body=("x",))
    get(client, story.url)
    client.force_login(admin_user)
    assert "X-Voicebox-Cache" not in get(client, story.url)


def test_cache_key_ignores_unknown_parameters_but_not_filters_or_hidden_notes(client, index, cache_backend):
    publish_story(index, "A story", body=("x",))
    get(client, "/stories/")
    assert get(client, "/stories/?utm_source=x&t=5")["X-Voicebox-Cache"] == "hit"
    assert get(client, "/stories/?format=audio")["X-Voicebox-Cache"] == "miss"
    client.cookies["vb_hide_notes"] = "self-harm"
    assert get(client, "/stories/")["X-Voicebox-Cache"] == "miss"
