"""The contributor's private page /my-story/<key>/: status, what was sent, the private recording, withdrawal."""

import json
import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models.functions import Cast
from wagtail.fields import StreamField
from wagtail.models import Page, PageLogEntry, Revision

from base.log_filters import RedactStoryKeys
from moderation.erasure import erase_story
from moderation.models import AuditEvent, ConsentRecord, Contribution, StoryStatus, WithdrawnStoryKey
from stories.media_publishing import make_published_copy
from stories.models import StoryMedia, StoryPage
from tests import sharing
from tests.factories import (
    ConsentRecordFactory,
    ContributionFactory,
    StoryMediaFactory,
    StoryPageFactory,
    site_tree,
)
from tests.workers import run_queue

# Every test here has the site tree (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]

MARKER = "Zephyrine-lighthouse-7731"


def submit(client, method: str = "write", media_file=None) -> str:
    """Send a story through the share flow; returns its story key."""
    story = sharing.story_answers(
        title=f"{MARKER} title", text=f"{MARKER} in the words.\n\nMore words." if method == "write" else None
    )
    fields = sharing.fill_in(client, method=method, story=story, media_file=media_file)
    assert client.post("/share/check/", fields).status_code == 302
    link = sharing.story_link(client.get("/share/done/").content.decode())
    return link.rstrip("/").rsplit("/", 1)[1]


def rows_mentioning(text: str) -> list[str]:
    """Every table column (and session) in the database that still holds `text`."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField | StreamField):
                matches = model._base_manager.annotate(as_text=Cast(field.attname, models.TextField()))
                if matches.filter(as_text__icontains=text).exists():
                    found.append(f"{model._meta.label}.{field.name}")
    found += [f"session {s.pk}" for s in Session.objects.all() if text in json.dumps(s.get_decoded())]
    return found


def test_the_page_shows_status_what_was_sent_and_the_choices(client):
    key = submit(client)

    response = client.get(f"/my-story/{key}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Where your story is: Being reviewed" in html and "A moderator is reading your story." in html
    assert 'Being reviewed\n        <span class="lifecycle-state">(you are here)</span>' in html
    assert 'Received\n        <span class="lifecycle-state">(done)</span>' in html
    assert 'Published\n        <span class="lifecycle-state">(to come)</span>' in html
    assert "Being prepared" not in html  # the recording steps don't apply to a written story
    assert f"{MARKER} in the words." in html and "More words." in html
    assert "Everyone, and researchers may study it" in html and "A name I choose: Sam" in html
    assert f'href="/my-story/{key}/withdraw/"' in html
    assert "116 123" in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin" and "noindex" in response["X-Robots-Tag"]


def test_the_contributor_can_hear_their_private_recording(client, shared_speech):
    key = submit(client, "upload", sharing.upload(shared_speech / "fleurs-en-000.ogg"))
    media = StoryPage.objects.get().media

    page = client.get(f"/my-story/{key}/").content.decode()
    response = client.get(f"/my-story/{key}/recording/", HTTP_RANGE="bytes=0-99")

    assert f'<audio controls preload="none" src="/my-story/{key}/recording/">' in page
    assert 'Being prepared\n        <span class="lifecycle-state">(you are here)</span>' in page
    assert response.status_code == 206 and response["Content-Type"] == "audio/ogg"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == Path(media.file.path).read_bytes()[:100]
    assert client.get(f"/my-story/{key[:-1]}x/recording/").status_code == 404


def test_a_wrong_key_gets_exactly_the_same_page_as_a_missing_one(client):
    real = ContributionFactory()
    wrong = real.key[:-2] + ("aa" if not real.key.endswith("aa") else "bb")
    never_issued = Contribution.new_key()[0]

    responses = [client.get(f"/my-story/{key}/") for key in (wrong, never_issued, "x", "y" * 500)]

    assert {response.status_code for response in responses} == {404}
    assert len({response.content for response in responses}) == 1
    assert real.key not in responses[0].content.decode()


def test_key_guesses_are_rate_limited_per_address(client):
    real = ContributionFactory()

    statuses = [client.get(f"/my-story/{Contribution.new_key()[0]}/").status_code for _ in range(21)]

    assert statuses == [404] * 20 + [429]
    limited = client.get(f"/my-story/{real.key}/")
    assert limited.status_code == 429 and limited["Retry-After"]
    # A spoofed X-Forwarded-For is not a way round it; another real address is unaffected.
    assert client.get(f"/my-story/{real.key}/", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    assert client.get(f"/my-story/{real.key}/", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_known_keys_are_not_counted_as_guesses(client):
    real = ContributionFactory()
    assert {client.get(f"/my-story/{real.key}/").status_code for _ in range(30)} == {200}


@pytest.mark.parametrize(
    "status", [StoryStatus.PAUSED, StoryStatus.DECLINED, StoryStatus.EDITS_PROPOSED, StoryStatus.PUBLISHING]
)
def test_every_status_is_explained_in_words(client, status):
    contribution = ContributionFactory(status=status)
    ConsentRecordFactory(contribution=contribution)

    html = client.get(f"/my-story/{contribution.key}/").content.decode()

    assert f"Where your story is: {StoryStatus(status).label}" in html
    assert f'{StoryStatus(status).label}\n        <span class="lifecycle-state">(you are here)</span>' in html
    if status == StoryStatus.PUBLISHING:
        assert 'Published\n        <span class="lifecycle-state">(to come)</span>' in html


def test_withdrawing_asks_first_and_a_get_erases_nothing(client):
    key = submit(client)

    response = client.get(f"/my-story/{key}/withdraw/")

    html = response.content.decode()
    assert response.status_code == 200 and "This can't be undone." in html
    assert f'action="/my-story/{key}/withdraw/"' in html and "csrfmiddlewaretoken" in html
    assert Contribution.objects.count() == 1 and StoryPage.objects.count() == 1


def test_withdrawal_needs_the_csrf_token(client):
    key = submit(client)
    strict = type(client)(enforce_csrf_checks=True)

    refused = strict.post(f"/my-story/{key}/withdraw/")
    assert refused.status_code == 403
    assert "Please send that again" in refused.content.decode() and key not in refused.content.decode()
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize("method", ["write", "upload"])
def test_withdrawal_erases_the_story_and_leaves_a_content_free_record(
    client, method, shared_speech, stored_files, django_capture_on_commit_callbacks
):
    media_file = sharing.upload(shared_speech / "fleurs-en-000.ogg") if method == "upload" else None
    key = submit(client, method, media_file)
    story = StoryPage.objects.get()
    # Published first, so withdrawal has a live page, a search entry and a public media copy to take down.
    if story.media:
        make_published_copy(story.media)
    story.save_revision().publish()
    story.refresh_from_db()
    run_queue("default")  # the search index and reference index updates Wagtail queued
    assert story.live and any(place.startswith("wagtailsearch.") for place in rows_mentioning(MARKER))
    story.save_revision().publish()  # an edit whose index updates are still queued when the story is withdrawn
    files_before = stored_files.added()
    assert len(files_before) == (2 if method == "upload" else 0)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my-story/{key}/withdraw/")

    assert response.status_code == 302 and response["Location"] == f"/my-story/{key}/"
    assert not Page.objects.filter(pk=story.pk).exists()
    assert not Revision.page_revisions.filter(object_id=str(story.pk)).exists()
    assert not PageLogEntry.objects.filter(page_id=story.pk).exists()
    assert StoryMedia.objects.count() == 0 and stored_files.added() == set()
    assert Contribution.objects.count() == 0 and ConsentRecord.objects.count() == 0
    assert rows_mentioning(MARKER) == []
    assert rows_mentioning(key) == []
    # The index updates still queued from before (a worker that was behind) don't bring anything back.
    run_queue("default")
    assert rows_mentioning(MARKER) == []
    withdrawn = AuditEvent.objects.get(action="withdrawn")
    assert (withdrawn.story_ref, withdrawn.actor_role, withdrawn.policy_code) == (story.pk, "contributor", "")
    assert WithdrawnStoryKey.objects.count() == 1
    # The link now says what happened, and the public page is gone.
    page = client.get(f"/my-story/{key}/")
    assert page.status_code == 200 and "withdrawn and erased" in page.content.decode()
    assert client.get(story.url_path.removeprefix("/voicebox-home")).status_code == 404


def test_story_keys_are_masked_in_log_lines():
    key = Contribution.new_key()[0]
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, RedactStoryKeys) for f in h.filters))

    for name, message, args in [
        ("django.server", '"%s" %s %s', (f"GET /my-story/{key}/ HTTP/1.1", "200", "5120")),
        ("django.security.csrf", "Forbidden (%s): %s", ("CSRF token missing.", f"/my-story/{key}/withdraw/")),
        ("django.request", f"Not Found: /my-story/{key}/recording/", ()),
    ]:
        record = logging.getLogger(name).makeRecord(name, logging.WARNING, __file__, 1, message, args, None)
        assert handler.filter(record)
        assert key not in record.getMessage() and "/my-story/[key]/" in record.getMessage()
    assert handler in logging.getLogger("django.server").handlers


def test_erase_story_removes_the_files_of_a_story_never_published(stored_files, django_capture_on_commit_callbacks):
    story = StoryPageFactory(parent=site_tree()[1], media=StoryMediaFactory(), story_format="audio")
    contribution = ContributionFactory(story=story, status=StoryStatus.PROCESSING)
    ConsentRecordFactory(contribution=contribution)
    assert len(stored_files.added()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        erase_story(contribution)

    assert stored_files.added() == set()
    assert not (StoryPage.objects.exists() or StoryMedia.objects.exists() or Contribution.objects.exists())
    assert not ConsentRecord.objects.exists()
    assert WithdrawnStoryKey.objects.for_key(contribution.key) is not None
    assert AuditEvent.objects.filter(action="withdrawn", story_ref=story.pk).count() == 1
