"""Erasure, proved by a scan: a story with a unique marker in its text and its recording goes through moderation,
is published, embedded, read, captioned and searched, then withdrawn. Afterwards no database table (every model,
Wagtail's revisions and logs, the search index, the story's vectors, the task queue's tables) and no stored file holds
the marker or the files; on the embedded default's SQLite file, not even the file's freed pages or its write-ahead
log."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django_tasks_db.models import DBTaskResult
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import ReferenceIndex

from base.frontend_cache import EveryLanguageHTTPBackend, EveryLanguageMixin
from curated.models import CollectionStory, StoryCollection
from moderation.erasure import erase_story
from moderation.models import AuditEvent, Contribution, WithdrawnStoryKey
from moderation.workflows import perform_action, start_moderation
from services.models import Response, ResponseReply, Service, StoryService
from stories.models import StoryIndexPage, StoryMedia, StoryPage, StoryVector
from tests import media_factory, sharing
from tests.factories import ConsentRecordFactory, ContributionFactory, site_tree
from tests.moderators import action_url, moderator, sign_in
from tests.public_site import build_site, media
from tests.services import ROOT
from tests.test_settings import run_manage
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
    # A service the story is about responded in public, and recorded a change: its words about the story go too.
    ward = Service.objects.create(name="Willow Ward")
    StoryService.objects.create(story=page, service=ward, source=StoryService.Source.CONTRIBUTOR)
    response = Response.objects.create(
        story=page,
        service=ward,
        role="Ward manager",
        kind=Response.Kind.CHANGE_MADE,
        body=f"We are sorry about {marker}.",
        change=f"Quiet hours, after {marker}.",
        status=Response.Status.PUBLISHED,
    )
    ResponseReply.objects.create(response=response, body=f"Thank you; {marker} is better.", experience="partly")
    # Gathered into a collection, and packed for a training day.
    collection = StoryCollection.objects.create(title="Ward visit", slug="ward", introduction="For the ward.")
    CollectionStory.objects.create(collection=collection, story=page)
    assert marker in client.get("/collections/ward/").content.decode()
    assert client.get("/collections/ward/training-pack.zip").status_code == 200
    before = rows_containing(marker)
    assert {"wagtailcore_revision", "wagtailsearch_indexentry", "transcription_transcript"} <= set(before)
    assert {"services_response", "services_responsereply"} <= set(before)
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
    # The collection stays, without the story's place in it.
    assert not CollectionStory.objects.exists() and StoryCollection.objects.filter(pk=collection.pk).exists()
    assert not ReferenceIndex.objects.filter(to_object_id=str(page.pk)).exists()
    assert marker not in client.get("/collections/ward/").content.decode()
    # What remains is content-free: the audit trail and the tombstone of the key's hash.
    assert WithdrawnStoryKey.objects.count() == 1
    assert AuditEvent.objects.filter(story_ref=page.pk, action="withdrawn").exists()


class RememberingBackend(BaseBackend):
    """A frontend cache (CDN) that remembers what it was asked to forget."""

    purged: list[str] = []

    def purge(self, url):
        self.purged.append(url)


class RecordingBackend(EveryLanguageMixin, RememberingBackend):
    """The same, asked in every interface language as the site's own backend asks (base.frontend_cache)."""


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
    # The story is served in every interface language, and a CDN keeps each copy: each is forgotten.
    assert {f"{site}/cy/stories/a-story/", f"{site}/es/stories/a-story/", f"{site}/cy/stories/"} <= purged
    assert any(url.endswith("/cy/feeds/podcast/") for url in purged)
    assert any(f"/es/story-media/{story.pk}/" in url for url in purged)
    assert_no_task_failed()


def test_the_shipped_cdn_purge_names_every_language(monkeypatch):
    """Wagtail's own purges (on publish and unpublish, from a worker: English) go through the same backend."""
    asked = []
    monkeypatch.setattr(HTTPBackend, "purge", lambda self, url: asked.append(url))
    backend = EveryLanguageHTTPBackend({"LOCATION": "http://cdn.internal:8080"})
    backend.purge_batch(["https://stories.example.org/stories/a-story/", "https://stories.example.org/cy/feeds/"])
    assert sorted(asked) == [
        "https://stories.example.org/cy/feeds/",
        "https://stories.example.org/cy/stories/a-story/",
        "https://stories.example.org/es/feeds/",
        "https://stories.example.org/es/stories/a-story/",
        "https://stories.example.org/feeds/",
        "https://stories.example.org/stories/a-story/",
    ]


# Run in a process of its own on the embedded default's own SQLite file, in write-ahead-log mode, as a running site
# does: its connection stays open throughout (the suite's database lives in memory, with neither file nor log).
PUBLISH_WITHDRAW_AND_WAIT = """
import os
from moderation import workflows
from base.frontend_cache import EveryLanguageHTTPBackend, EveryLanguageMixin
from moderation.erasure import erase_story
from tests.factories import ConsentRecordFactory, ContributionFactory, StoryPageFactory, site_tree
from tests.moderators import moderator
from tests.workers import run_queue
marker = os.environ["MARKER"]
story = StoryPageFactory(parent=site_tree()[1], title=f"Days of {marker}", body=[("paragraph", f"I said {marker}.")])
contribution = ContributionFactory(story=story)
ConsentRecordFactory(contribution=contribution)
workflows.start_moderation(contribution)
workflows.perform_action(story.current_workflow_task_state.specific, moderator(), "publish")
run_queue("publication")
run_queue("default")
print("published", flush=True)
input()
erase_story(contribution)
run_queue("default")
print("withdrawn", flush=True)
input()
"""


def database_files_containing(marker: str, var_dir: Path) -> list[str]:
    """The SQLite database and its write-ahead log, read as raw bytes (freed pages and old log frames included)."""
    needle = marker.lower().encode()
    files = [var_dir / "voicebox.sqlite3", var_dir / "voicebox.sqlite3-wal"]
    return [path.name for path in files if path.exists() and needle in path.read_bytes().lower()]


def test_a_withdrawn_story_leaves_no_trace_in_the_database_files(tmp_path):
    marker = f"Zq{uuid.uuid4().hex[:12]}Marker"
    variables = {"VOICEBOX_VAR_DIR": str(tmp_path), "EMBEDDINGS_BACKEND": "off", "MARKER": marker}
    migrated = run_manage("migrate", "--noinput", **variables)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    log = tmp_path / "site.log"
    with log.open("w") as errors:
        site = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", PUBLISH_WITHDRAW_AND_WAIT],
            cwd=ROOT,
            env={"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(ROOT)), **variables},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )

        def site_says(word: str) -> None:
            for line in site.stdout:
                if line.strip() == word:
                    return
            raise AssertionError(log.read_text()[-3000:])

        def carry_on() -> None:
            site.stdin.write("\n")
            site.stdin.flush()

        try:
            site_says("published")
            assert database_files_containing(marker, tmp_path)  # the scan sees the story while it is there
            carry_on()
            site_says("withdrawn")
            # Read by another process while the site still has the database open: what a copy of the files holds.
            assert database_files_containing(marker, tmp_path) == []
            carry_on()
            assert site.wait(timeout=60) == 0, log.read_text()[-3000:]
        finally:
            site.kill()


def test_a_story_taken_down_on_request_and_given_a_new_link_leaves_no_trace(client, django_capture_on_commit_callbacks):
    """The contributor's ways to keep control without erasing (taken down for now, on request with staff's note of
    the check, and put back; a new link by email) leave nothing once the story is withdrawn with its new key."""
    build_site()
    marker = f"Zq{uuid.uuid4().hex[:12]}Marker"
    story = StoryPage(title=f"Story {marker}", slug="marked", body=[("paragraph", f"{marker} words.")], live=False)
    StoryIndexPage.objects.get().add_child(instance=story)
    contribution = ContributionFactory(story=story, email=f"{marker}@example.org")
    ConsentRecordFactory(contribution=contribution)
    start_moderation(contribution)
    lead = moderator()
    staff = sign_in(lead)
    with django_capture_on_commit_callbacks(execute=True):
        perform_action(story.current_workflow_task_state, lead, "publish")
    run_queue("publication")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-story/{contribution.key}/take-down/")
        client.post(f"/my-story/{contribution.key}/put-back/")
    run_queue("publication")
    with django_capture_on_commit_callbacks(execute=True):
        note = {"how_checked": f"Phoned them; they knew {marker}."}
        assert staff.post(f"/admin/moderation/story/{contribution.pk}/take-down-on-request/", note).status_code == 302
        client.post("/my-story/lost-link/", {"email": f"{marker}@example.org"})
    run_queue("default")
    token_link = mail.outbox[-1].body.split("/my-story/lost-link/", 1)[1].split("/", 1)[0]
    page = client.post(f"/my-story/lost-link/{token_link}/").content.decode()
    new_key = page.split('value="http://testserver/my-story/', 1)[1].split("/", 1)[0]
    assert new_key != contribution.key
    assert {"moderation_takedownonrequest", "moderation_contribution"} <= set(rows_containing(marker))

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{new_key}/withdraw/").status_code == 302
    run_queue("default")
    assert_no_task_failed()
    assert rows_containing(marker) == {}
    # The old key, replaced before the withdrawal, opens nothing: it says neither "withdrawn" nor anything else.
    assert client.get(f"/my-story/{contribution.key}/").status_code == 404
    assert "withdrawn" in client.get(f"/my-story/{new_key}/").content.decode().lower()


def test_an_assisted_story_and_its_paper_scans_leave_no_trace(client, django_capture_on_commit_callbacks):
    """A story shared with a peer worker's help in the admin, from a paper form, agreed by a signed consent form: the
    scans of both are kept privately and go with the story, as does every row that held its words."""
    from tests.test_assisted_sharing import START, assisted_answers, photo, shown_key

    site_tree()
    marker = f"Zq{uuid.uuid4().hex[:12]}Marker"
    helper = sign_in(moderator())
    answers = assisted_answers(
        title=f"On paper {marker}",
        text=f"I wrote {marker} on the form.",
        display_name=f"Sam {marker}",
        email=f"{marker}@example.org",
        consent_method="signed_form",
        consent_scan=photo(marker),
        story_scan=photo(marker),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert helper.post(f"{START}paper/", answers).status_code == 302
    key = shown_key(helper)
    scans = [Path(scan.file.path) for scan in Contribution.objects.get().paper_scans.all()]
    assert len(scans) == 2 and all(path.exists() for path in scans)
    kept = {path.read_bytes() for path in scans}
    assert rows_containing(marker)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{key}/withdraw/").status_code == 302
    run_queue("default")
    assert_no_task_failed()
    assert rows_containing(marker) == {}
    assert files_containing(marker) == []
    assert not any(path.exists() for path in scans)
    stored = [path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()]
    assert not any(path.read_bytes() in kept for path in stored)
    # Who helped stays in the content-free audit log (the staff member, for the record), nothing of the story.
    assert AuditEvent.objects.filter(action="assisted").exists()
