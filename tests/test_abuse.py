"""Abuse resistance on /share/: CSRF, honeypot, minimum fill time, per-address rate limits, double submits."""

import pytest
from django.test import RequestFactory

from base import abuse
from contributions.submission import AlreadySubmitted, Submission, submit_story
from moderation.models import ConsentRecord, ConsentText, Contribution
from stories.models import StoryPage
from tests import sharing
from tests.factories import site_tree

# Every test here has the site tree (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]


def nothing_created() -> bool:
    return not (Contribution.objects.exists() or StoryPage.objects.exists() or ConsentRecord.objects.exists())


def test_a_double_submit_creates_one_story_and_both_land_on_the_confirmation(client):
    fields = sharing.fill_in(client)

    first = client.post("/share/check/", fields)
    second = client.post("/share/check/", fields)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == "/share/done/"
    assert Contribution.objects.count() == 1 and StoryPage.objects.count() == 1 and ConsentRecord.objects.count() == 1
    assert "Your private link" in client.get("/share/done/").content.decode()


def test_a_repeated_token_is_refused_by_the_database_too():
    """Two requests that both got past the view's check (a race) still make one story."""
    _home, _index = site_tree()
    submission = Submission(
        title="Twice",
        text="Once only.",
        media=None,
        stated_language="",
        consent_text=ConsentText.current(),
        audience="public",
        identity="anonymous",
        media_use="media",
        research_use=False,
        expires_on=None,
        minimal_edits_preauthorised=False,
        display_name="",
        email="",
        idempotency_key="0" * 32,
    )
    submit_story(submission)

    with pytest.raises(AlreadySubmitted):
        submit_story(submission)
    assert Contribution.objects.count() == 1 and StoryPage.objects.count() == 1


@pytest.mark.parametrize("step", ["first", "last"])
def test_a_filled_honeypot_gets_a_neutral_thank_you_and_creates_nothing(client, step):
    if step == "first":
        response = client.post("/share/", {"method": "write", "website": "http://spam.example"})
    else:
        fields = sharing.fill_in(client)
        response = client.post("/share/check/", {**fields, "website": "http://spam.example"})

    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Thank you</h1>" in html
    assert "problem" not in html.lower() and "honeypot" not in html.lower()
    assert nothing_created()
    assert "share_flow" not in client.session


def test_the_honeypot_is_hidden_from_everyone(client):
    html = client.get("/share/").content.decode()

    assert '<div class="hp" aria-hidden="true">' in html
    assert 'name="website" tabindex="-1" autocomplete="off"' in html
    assert '<label for="id_website">Leave this empty</label>' in html


def test_a_form_sent_faster_than_a_person_could_creates_nothing(client):
    client.post("/share/", {"method": "write"})
    client.post("/share/story/", sharing.story_answers())
    client.post("/share/choices/", sharing.choice_answers())
    fields = sharing.check_page_fields(client.get("/share/check/").content.decode())

    response = client.post("/share/check/", fields)

    assert response.status_code == 200 and "<h1>Thank you</h1>" in response.content.decode()
    assert nothing_created()


def test_a_forged_start_time_is_not_trusted(client):
    fields = sharing.fill_in(client)

    response = client.post("/share/check/", {**fields, "started": "1:forged:signature"})

    assert response.status_code == 200 and "Please check and send again" in response.content.decode()
    assert nothing_created()


def test_the_final_submit_is_rate_limited_per_address(client):
    statuses = [client.post("/share/check/", {}).status_code for _ in range(11)]

    assert statuses[:10] == [302] * 10  # no form in progress: sent back to the start, nothing created
    assert statuses[10] == 429
    limited = client.post("/share/check/", {})
    assert limited["Retry-After"] and "Please wait a moment" in limited.content.decode()
    # Rotating X-Forwarded-For from the same socket address changes nothing...
    assert client.post("/share/check/", {}, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    # ...while someone else, at another address, is not held up.
    assert client.post("/share/check/", {}, REMOTE_ADDR="198.51.100.20").status_code == 302
    assert nothing_created()


def test_the_submit_is_csrf_protected(client):
    sharing.fill_in(client)
    strict = type(client)(enforce_csrf_checks=True)
    strict.cookies = client.cookies

    fields = sharing.check_page_fields(strict.get("/share/check/").content.decode())
    assert strict.post("/share/check/", fields).status_code == 403
    assert strict.post("/share/story/", sharing.story_answers()).status_code == 403
    assert nothing_created()


@pytest.mark.parametrize(
    ("trusted_proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "198.51.100.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, "198.51.100.1"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, "203.0.113.5"),
        # A client-written entry on the left is ignored: the trusted proxy appended the real address.
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5"}, "203.0.113.5"),
        (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5, 10.0.0.9"}, "203.0.113.5"),
        (1, {"REMOTE_ADDR": "198.51.100.1"}, "198.51.100.1"),
    ],
)
def test_the_client_address_respects_the_trusted_proxy_count(settings, trusted_proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = trusted_proxies
    request = RequestFactory().get("/", **meta)

    assert abuse.client_ip(request) == expected
