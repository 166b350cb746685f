"""Erasure, proved by a scan: a story with a unique marker in its text and its recording goes through moderation,
is published, embedded, read, captioned and searched, then withdrawn. Afterwards no database table (every model,
Wagtail's revisions and logs, the search index, the story's vectors, the task queue's tables) and no stored file holds
the marker or the files."""

import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_tasks_db.models import DBTaskResult
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from moderation.erasure import erase_story
from moderation.models import AuditEvent, Contribution, WithdrawnStoryKey
from moderation.workflows import perform_action, start_moderation
from stories.models import StoryIndexPage, StoryMedia, StoryPage, StoryVector
from tests import media_factory, sharing
from tests.factories import ConsentRecordFactory, ContributionFactory, site_tree
from tests.moderators import action_url, moderator, sign_in
from tests.public_site import build_site, media
from tests.workers import run_queue
from transcription.models import Transcript

pytestmark = pytest.mark.django_db


def assert_no_task_failed() -> None:
    failed = DBTaskResult.objects.exclude(status="SUCCESSFUL").values_list("task_path", "args_kwargs", "status")
    assert not failed, "\n".join(map(str, failed))


def rows_containing(marker: str) -> dict[str, int]:
    """Every table in the database, every column, read as text: where does the marker occur?"""
    found = {}
    needle = marker.lower()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(include_views=False):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names come from the database itself
            hits = sum(
                1
                for row in cursor.fetchall()
                for value in row
                if value is not None
                and needle in (value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)).lower()
            )
            if hits:
                found[table] = hits
    return found


def files_containing(marker: str) -> list[Path]:
    needle = marker.encode()
    roots = [Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]
    return [
        path
        for root in roots
        if root.exists()
        for path in root.rglob("*")
        if path.is_file() and needle in path.read_bytes()
    ]


def test_a_withdrawn_story_leaves_no_trace_in_any_table_or_file(client, tmp_path, django_capture_on_commit_callbacks):
    cache.clear()
    site_tree()
    marker = f"Zq{uuid.uuid4().hex[:12]}Marker"
    recording = media_factory.write_audio(
        tmp_path / f"{marker}.ogg", seconds=4.0, metadata={"title": marker, "artist": marker}
    )
    assert marker.encode() in recording.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        fields = sharing.fill_in(
            client,
            method="upload",
            story=sharing.story_answers(title=f"My story {marker}", text=None),
            choices=sharing.choice_answers(
                media=True,
                identity="pseudonym",
                display_name=f"Sam {marker}",
                email=f"{marker}@example.org",
                minimal_edits="no",
            ),
            media_file=sharing.upload(recording),
        )
        assert client.post("/share/check/", fields).status_code == 302
    key = sharing.story_link(client.get("/share/done/").content.decode()).rstrip("/").rsplit("/", 1)[1]
    contribution = Contribution.objects.get()
    page = StoryPage.objects.get()
    media = page.media
    words = [
        {"start": 0.2, "end": 0.6, "word": " I", "probability": 0.9},
        {"start": 0.7, "end": 1.4, "word": f" {marker}", "probability": 0.9},
        {"start": 1.5, "end": 2.0, "word": " remember", "probability": 0.9},
        {"start": 2.1, "end": 2.6, "word": " Nurse", "probability": 0.9},
        {"start": 2.7, "end": 3.2, "word": " Kay.", "probability": 0.9},
    ]
    transcript = Transcript.objects.create(
        story=page,
        language="en",
        duration=4.0,
        model_name="test",
        segments=[{"start": 0.2, "end": 3.2, "text": f"I {marker} remember Nurse Kay.", "words": words}],
    )
    transcript.confirm()
    start_moderation(contribution)

    mo = sign_in(moderator())

    def redact_nurse_kay(**note):
        redaction = {"where": "transcript:0", "passage": "Nurse Kay", "occurrence": 1, "code": "identifies_third_party"}
        mo.post(f"/admin/moderation/story/{contribution.pk}/redactions/", {**redaction, "label": "name", **note})

    with django_capture_on_commit_callbacks(execute=True):
        redact_nurse_kay(note=marker)
        mo.post(action_url(contribution, "propose_edits"))
        client.post(f"/my-story/{key}/edits/", {"answer": "reply", "reply": f"Keep {marker} please"})
        mo.post(f"/admin/moderation/story/{contribution.pk}/critical/", {"critical": "yes"})
        redact_nurse_kay()
        mo.post(action_url(contribution, "propose_edits"))
        client.post(f"/my-story/{key}/edits/", {"answer": "accept"})
    run_queue("publication")
    page.refresh_from_db()
    media.refresh_from_db()
    assert page.live and media.published_file.name
    # Read, listened to, captioned and searched, so every derived copy exists before the withdrawal.
    assert marker in client.get(page.url).content.decode()
    assert client.get(f"/captions/{page.pk}.vtt").status_code == 200
    assert client.get("/search/", {"q": marker}).status_code == 200
    stored = [Path(media.file.path), Path(media.published_file.path)]
    assert all(path.exists() for path in stored)
    run_queue("default")  # the worker indexes the published page for search and embeds it
    assert StoryVector.objects.filter(story_id=page.pk, kind="story").exists()
    assert StoryVector.objects.filter(story_id=page.pk, kind="passage", source="transcript").exists()
    before = rows_containing(marker)
    assert {"wagtailcore_revision", "wagtailsearch_indexentry", "transcription_transcript"} <= set(before)
    assert files_containing(marker)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my-story/{key}/withdraw/")
    assert response.status_code == 302

    assert rows_containing(marker) == {}
    assert files_containing(marker) == []
    assert not any(path.exists() for path in stored)
    assert not StoryPage.objects.filter(pk=page.pk).exists() and not StoryMedia.objects.exists()
    assert not StoryVector.objects.exists()  # what the story meant goes with it, as do any queued task payloads
    assert not DBTaskResult.objects.filter(args_kwargs__args=[page.pk], status="READY").exists()
    # What the withdrawal left for the worker (cache purges) runs, and nothing of it fails: no index update is
    # queued for the page it erased.
    run_queue("default")
    assert_no_task_failed()
    assert client.get(page.url).status_code == 404
    assert client.get(f"/captions/{page.pk}.vtt").status_code == 404
    # What remains is content-free: the audit trail and the tombstone of the key's hash.
    assert WithdrawnStoryKey.objects.count() == 1
    assert AuditEvent.objects.filter(story_ref=page.pk, action="withdrawn").exists()


class RecordingBackend(BaseBackend):
    """A frontend cache (CDN) that remembers what it was asked to forget."""

    purged: list[str] = []

    def purge(self, url):
        self.purged.append(url)


def test_withdrawal_purges_the_story_from_a_configured_frontend_cache(settings, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": "tests.test_erasure_scan.RecordingBackend"}}
    RecordingBackend.purged.clear()
    build_site()
    story = StoryPage(
        title="A story", slug="a-story", body=[("paragraph", "Words.")], story_format="audio", media=media()
    )
    StoryIndexPage.objects.get().add_child(instance=story)
    contribution = ContributionFactory(story=story)
    ConsentRecordFactory(contribution=contribution)
    start_moderation(contribution)
    with django_capture_on_commit_callbacks(execute=True):
        perform_action(story.current_workflow_task_state, moderator(), "publish")
    run_queue("publication")

    with django_capture_on_commit_callbacks(execute=True):
        erase_story(contribution)
    run_queue("default")  # the purge is queued for the worker, like every request to the CDN

    purged = set(RecordingBackend.purged)
    site = "http://localhost"
    assert {f"{site}/stories/a-story/", f"{site}/stories/", f"{site}/"} <= purged
    assert any(url.endswith(f"/captions/{story.pk}.vtt") for url in purged)
    assert any(f"/story-media/{story.pk}/" in url for url in purged)
    assert any(url.endswith("/feeds/podcast/") for url in purged)
    assert_no_task_failed()
