"""A lost private link is not lost for good: a contributor who left an email address asks at /my-story/lost-link/,
gets a single-use link valid for an hour, and opening it (and confirming) issues a new key; the old key then opens
nothing, as an unknown key does. The asking page answers alike for known and unknown addresses and is rate limited;
without an address, it says how to ask staff."""

import logging
import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from base.log_filters import RedactStoryKeys
from contributions import lost_link
from moderation.erasure import erase_story
from moderation.models import AuditEvent, Contribution
from tests.factories import ContributionFactory
from tests.workers import run_queue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]

ADDRESS = "Sam.Contributor@example.org"


def ask(client, email: str, ip: str = "203.0.113.5"):
    return client.post("/my-story/lost-link/", {"email": email}, REMOTE_ADDR=ip)


def emailed_link() -> str:
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/my-story/lost-link/\S+/", message.body).group(0)
    assert link in message.alternatives[0][0]  # the HTML version carries the same link
    return link


def queued_tasks() -> int:
    return DBTaskResult.objects.filter(task_path="contributions.lost_link.send_fresh_links").count()


def test_a_fresh_link_replaces_the_key_once_and_the_old_key_stops_working(client, django_capture_on_commit_callbacks):
    contribution = ContributionFactory(email="sam.contributor@example.org")
    old_key = contribution.key
    page = client.get("/my-story/lost-link/").content.decode()
    assert "email address" in page and "If you didn't give us an email address" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, ADDRESS)  # the address in any case
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    assert not mail.outbox  # sent by the worker, not while the person waits
    run_queue("default")
    (message,) = mail.outbox
    assert message.to == ["sam.contributor@example.org"] and message.subject == "A new link to your story"
    assert contribution.story.title not in message.body  # word-free: nothing of the story
    link = urlsplit(emailed_link()).path

    # Opening the link only asks to confirm (a mail scanner following links uses nothing up).
    confirm = client.get(link)
    assert confirm.status_code == 200 and "Show me my new link" in confirm.content.decode()
    assert Contribution.objects.for_key(old_key) == contribution

    shown = client.post(link)
    assert shown.status_code == 200 and shown["Cache-Control"].startswith("max-age=0")
    new_link = re.search(r'value="(http://testserver/my-story/[^"]+/)"', shown.content.decode()).group(1)
    new_key = new_link.rstrip("/").rsplit("/", 1)[1]
    assert new_key != old_key and client.get(f"/my-story/{new_key}/").status_code == 200
    # The old key answers exactly as a key that never existed: not found, never "withdrawn".
    old, unknown = client.get(f"/my-story/{old_key}/"), client.get(f"/my-story/{Contribution.new_key()[0]}/")
    assert old.status_code == unknown.status_code == 404
    assert "withdrawn" not in old.content.decode().lower()
    assert client.post(f"/my-story/{old_key}/withdraw/").status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LINK_REISSUED, actor_role="contributor").count() == 1

    # Used once: opening or confirming it again is a kind refusal, and changes nothing.
    for again in (client.get(link), client.post(link)):
        assert again.status_code == 400 and "This link no longer works" in again.content.decode()
    assert Contribution.objects.for_key(new_key) == contribution


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(client, django_capture_on_commit_callbacks):
    ContributionFactory(email="known@example.org")
    answers = []
    for address in ("known@example.org", "nobody@example.org"):
        before = queued_tasks()
        with django_capture_on_commit_callbacks(execute=True):
            response = ask(client, address)
        assert queued_tasks() == before + 1  # one background task either way, holding no address
        answers.append((response.status_code, response.content, sorted(response.headers.items())))
    assert answers[0] == answers[1]
    assert "nobody@example.org" not in str(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    run_queue("default")
    assert [m.to for m in mail.outbox] == [["known@example.org"]]


def test_asking_is_rate_limited_per_client_and_per_address(client, django_capture_on_commit_callbacks):
    ContributionFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            assert ask(client, "someone@example.org").status_code == 200
        limited = ask(client, "known@example.org")
    assert limited.status_code == 429
    # From many connections, one address still gets only a few emails an hour, with the same answer as ever.
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            assert ask(client, "known@example.org", ip=f"198.51.100.{i}").status_code == 200
    run_queue("default")
    assert len(mail.outbox) == 3


def test_a_mistyped_address_is_kept_with_a_kind_message(client):
    response = ask(client, "sam at example")
    page = response.content.decode()
    assert response.status_code == 400 and "Enter an email address like name@example.org." in page
    assert 'value="sam at example"' in page


@pytest.mark.parametrize("spoil", ["expired", "forged", "truncated", "withdrawn"])
def test_an_expired_forged_or_orphaned_link_is_refused_kindly(client, monkeypatch, spoil):
    contribution = ContributionFactory(email="sam@example.org")
    if spoil == "expired":
        real_time = time.time
        monkeypatch.setattr(time, "time", lambda: real_time() - lost_link.TOKEN_MAX_AGE_SECONDS - 1)
        token = lost_link.make_token(contribution)
        monkeypatch.setattr(time, "time", real_time)
    else:
        token = lost_link.make_token(contribution)
    if spoil == "forged":
        token = token.replace(token.split(":")[0], "eyJjIjoxLCJmIjoieCJ9")
    if spoil == "truncated":
        token = token[:-3]
    if spoil == "withdrawn":
        erase_story(contribution)
    for response in (client.get(f"/my-story/lost-link/{token}/"), client.post(f"/my-story/lost-link/{token}/")):
        assert response.status_code == 400 and "Ask for a new one" in response.content.decode()
    if spoil != "withdrawn":
        assert Contribution.objects.for_key(contribution.key) == contribution


def test_a_story_without_an_email_address_gets_no_email_and_the_page_says_how_to_ask_staff(
    client, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "Voicebox <help@voicebox.example>"  # where a reply reaches the team
    ContributionFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        page = ask(client, "").content.decode()
    assert "Enter the email address you gave us." in page
    assert 'href="mailto:help@voicebox.example"' in page and 'href="/contact/"' in page
    assert "take your story down for you" in page
    run_queue("default")
    assert not mail.outbox


def test_the_emailed_token_is_masked_in_log_lines_like_a_story_key():
    token = lost_link.make_token(ContributionFactory(email="sam@example.org"))
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, RedactStoryKeys) for f in h.filters))
    for path, masked in [
        (f"/my-story/lost-link/{token}/", "/my-story/lost-link/[key]/"),
        ("/my-story/lost-link/", "/my-story/lost-link/"),
    ]:
        record = logging.getLogger("django.server").makeRecord(
            "django.server", logging.WARNING, __file__, 1, '"%s" %s %s', (f"POST {path} HTTP/1.1", "400", "512"), None
        )
        assert handler.filter(record)
        assert token not in record.getMessage() and masked in record.getMessage()
