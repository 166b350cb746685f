"""Publication as a background task: the decision is recorded at once, the worker makes the media copy outside any
transaction and publishes in one short one; a failure publishes nothing, shows to moderators and is tried again; a
withdrawal before or during the work leaves nothing behind."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from moderation import publication, workflows
from moderation.erasure import erase_story
from moderation.models import AuditEvent, ConsentRecord, Contribution, Publication, StoryStatus
from stories.models import StoryPage
from tests.factories import ConsentRecordFactory, ContributionFactory, StoryMediaFactory, StoryPageFactory, site_tree
from tests.moderators import action_url, moderator, sign_in
from tests.test_erasure_scan import rows_containing
from tests.workers import run_queue

pytestmark = pytest.mark.django_db

TASK_PATH = publication.publish_decided_story.module_path


def story_with_recording(title: str = "Nights on the ward") -> Contribution:
    """A story with a real recording, waiting for a moderator; its contributor chose to publish their voice."""
    story = StoryPageFactory(parent=site_tree()[1], title=title, story_format="audio", media=StoryMediaFactory())
    contribution = ContributionFactory(story=story)
    ConsentRecordFactory(contribution=contribution, media_use=ConsentRecord.MediaUse.PUBLISH_MEDIA)
    workflows.start_moderation(contribution)
    return contribution


def decide_to_publish(contribution: Contribution, capture) -> None:
    with capture(execute=True):
        workflows.perform_action(contribution.story.current_workflow_task_state, moderator(), "publish")


def stored_files() -> set[Path]:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]
    return {path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()}


def make_retry_due() -> None:
    """Time passes: the retry the failed attempt queued for later is due now."""
    DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").update(run_after=timezone.now())


@pytest.mark.production_parts
def test_the_decision_is_recorded_at_once_and_the_worker_publishes(client, django_capture_on_commit_callbacks):
    contribution = story_with_recording()
    mo = sign_in(moderator())
    with django_capture_on_commit_callbacks(execute=True):
        assert mo.post(action_url(contribution, "publish")).status_code == 302

    contribution.refresh_from_db()
    page = StoryPage.objects.get(pk=contribution.story_id)
    assert contribution.status == StoryStatus.PUBLISHING and not page.live and not page.media.published_file
    assert Publication.objects.get(contribution=contribution).status == Publication.Status.QUEUED
    review = mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "<dd data-stage>Being published</dd>" in review and 'data-publication="queued"' in review
    assert "Being published" in mo.get("/admin/moderation/").content.decode()
    assert "Where your story is: Being published" in client.get(f"/my-story/{contribution.key}/").content.decode()

    run_queue("publication")

    contribution.refresh_from_db()
    page.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED and page.live and page.show_media
    assert Path(page.media.published_file.path).exists()
    assert not Publication.objects.exists()
    assert AuditEvent.objects.get(story_ref=page.pk, action="published").actor_role == "moderator"
    assert client.get(page.url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_media_copy_is_made_outside_any_transaction(monkeypatch):
    contribution = story_with_recording()
    in_transaction = []

    def copy_watched(media, silence=()):
        in_transaction.append(connection.in_atomic_block)
        return write_published_copy(media, silence)

    write_published_copy = publication.write_published_copy
    monkeypatch.setattr(publication, "write_published_copy", copy_watched)
    # Outside a test transaction, the decision commits and queues the task as it would in a request.
    workflows.perform_action(contribution.story.current_workflow_task_state, moderator(), "publish")
    run_queue("publication")

    assert in_transaction == [False]
    assert StoryPage.objects.get(pk=contribution.story_id).live


def test_a_failing_attempt_publishes_nothing_shows_to_moderators_and_is_tried_again(
    client, django_capture_on_commit_callbacks
):
    contribution = story_with_recording()
    original = Path(contribution.story.specific.media.file.path)
    recording = original.read_bytes()
    original.write_bytes(b"not a recording any more")  # the original is damaged, so making the copy fails
    files = stored_files()
    decide_to_publish(contribution, django_capture_on_commit_callbacks)
    mo = sign_in(moderator("second"))

    for attempt in range(1, publication.MAX_ATTEMPTS + 1):
        run_queue("publication")
        pending = Publication.objects.get(contribution=contribution)
        assert pending.attempts == attempt and pending.error.startswith("MediaRejected: ")
        review = mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
        assert "What went wrong: <code>MediaRejected: " in review
        queue = mo.get("/admin/moderation/").content.decode()
        if attempt < publication.MAX_ATTEMPTS:
            # Tried again later, by itself.
            assert pending.status == Publication.Status.QUEUED and pending.retry_at > timezone.now()
            assert f"Attempt {attempt} failed, and nothing was published" in review
            assert "Publishing failed: trying again" in queue
            assert "Try publishing again" not in review
            run_queue("publication")  # not due yet: nothing happens
            assert Publication.objects.get(contribution=contribution).attempts == attempt
            make_retry_due()
        else:
            assert pending.status == Publication.Status.FAILED
            assert f"Publishing failed {attempt} times, and has stopped trying" in review
            assert "Publishing failed</span>" in queue
            assert "Try publishing again" in review
            assert AuditEvent.objects.get(action="publication_failed").get_action_display() == (
                "Could not be published: waiting for a moderator to try again"
            )
        # Never half-published: no page, no copy, no record of publication.
        contribution.refresh_from_db()
        page = StoryPage.objects.get(pk=contribution.story_id)
        assert contribution.status == StoryStatus.PUBLISHING and not page.live and page.live_revision is None
        assert not page.media.published_file and stored_files() == files
        assert not AuditEvent.objects.filter(action="published").exists()

    original.write_bytes(recording)  # mended
    with django_capture_on_commit_callbacks(execute=True):
        assert mo.post(f"/admin/moderation/story/{contribution.pk}/publication/retry/").status_code == 302
    assert Publication.objects.get(contribution=contribution).attempts == 0
    run_queue("publication")

    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED and StoryPage.objects.get(pk=contribution.story_id).live
    # Nothing is left to try again.
    assert mo.post(f"/admin/moderation/story/{contribution.pk}/publication/retry/").status_code == 403


def test_a_failure_in_the_publishing_transaction_rolls_all_of_it_back(monkeypatch, django_capture_on_commit_callbacks):
    contribution = story_with_recording()
    media = contribution.story.specific.media
    media.published_file.save("earlier.ogg", media.file.open("rb"))  # a copy from an earlier publication
    earlier = media.published_file.name
    files = stored_files()

    def fail(*args):
        raise RuntimeError("The database went away.")

    # After the new revision is published and the media points at the new copy, inside the same transaction.
    monkeypatch.setattr(publication, "restrict_audience", fail)
    decide_to_publish(contribution, django_capture_on_commit_callbacks)
    run_queue("publication")

    page = StoryPage.objects.get(pk=contribution.story_id)
    media.refresh_from_db()
    assert not page.live and page.live_revision is None
    assert media.published_file.name == earlier and stored_files() == files  # the new copy is gone again
    assert Publication.objects.get().error == "RuntimeError: The database went away."
    assert Contribution.objects.get().status == StoryStatus.PUBLISHING
    assert not AuditEvent.objects.filter(action="published").exists()


def test_a_withdrawal_before_the_worker_starts_leaves_nothing_behind(django_capture_on_commit_callbacks):
    files = stored_files()
    marker = f"Zq{uuid.uuid4().hex[:12]}Marker"
    contribution = story_with_recording(title=f"My story {marker}")
    decide_to_publish(contribution, django_capture_on_commit_callbacks)
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, args_kwargs__args=[contribution.pk]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        erase_story(contribution)
    run_queue("publication")

    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()
    assert not Publication.objects.exists() and not StoryPage.objects.exists()
    assert rows_containing(marker) == {} and stored_files() == files


def test_a_withdrawal_while_the_worker_makes_the_copy_leaves_nothing_behind(
    monkeypatch, django_capture_on_commit_callbacks
):
    files = stored_files()
    marker = f"Zq{uuid.uuid4().hex[:12]}Marker"
    contribution = story_with_recording(title=f"My story {marker}")
    decide_to_publish(contribution, django_capture_on_commit_callbacks)

    def copy_then_withdraw(media, silence=()):
        copy = write_published_copy(media, silence)
        assert Path(media.published_file.storage.path(copy)).exists()
        with django_capture_on_commit_callbacks(execute=True):
            erase_story(Contribution.objects.get(pk=contribution.pk))  # the contributor withdraws meanwhile
        return copy

    write_published_copy = publication.write_published_copy
    monkeypatch.setattr(publication, "write_published_copy", copy_then_withdraw)
    run_queue("publication")

    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()  # the discarded run left no row
    assert not Publication.objects.exists() and not StoryPage.objects.exists()
    assert rows_containing(marker) == {} and stored_files() == files
    assert AuditEvent.objects.filter(action="withdrawn").exists()
    assert not AuditEvent.objects.filter(action="published").exists()


def test_a_moderator_may_start_a_stalled_publication_again(django_capture_on_commit_callbacks):
    contribution = story_with_recording()
    decide_to_publish(contribution, django_capture_on_commit_callbacks)
    # A worker claimed it and was killed: the attempt shows as running, long past any encode.
    Publication.objects.update(status=Publication.Status.RUNNING, token="dead", attempts=1)
    DBTaskResult.objects.filter(task_path=TASK_PATH).update(status="RUNNING")
    mo = sign_in(moderator("second"))
    assert mo.post(f"/admin/moderation/story/{contribution.pk}/publication/retry/").status_code == 403
    Publication.objects.update(started_at=timezone.now() - timedelta(hours=3))
    review = mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "its worker may have stopped" in review and "Try publishing again" in review

    with django_capture_on_commit_callbacks(execute=True):
        assert mo.post(f"/admin/moderation/story/{contribution.pk}/publication/retry/").status_code == 302
    run_queue("publication")
    assert StoryPage.objects.get(pk=contribution.story_id).live


def test_what_goes_live_is_the_revision_decided_on_not_one_saved_after(django_capture_on_commit_callbacks):
    contribution = story_with_recording("The words a moderator read")
    decide_to_publish(contribution, django_capture_on_commit_callbacks)
    # Before the worker runs, a newer revision is saved (by anyone, by any path): it was never approved.
    draft = StoryPage.objects.get(pk=contribution.story_id).get_latest_revision_as_object()
    draft.title = "Words nobody approved"
    draft.save_revision()

    run_queue("publication")

    page = StoryPage.objects.get(pk=contribution.story_id)
    assert page.live and page.title == "The words a moderator read"
    assert page.live_revision.as_object().title == "The words a moderator read"


def test_a_draft_saved_during_moderation_is_what_the_moderator_approves(django_capture_on_commit_callbacks):
    contribution = story_with_recording("Before the editor")
    # A moderator changes the story in Wagtail's editor while it is being moderated (a new revision), then decides.
    draft = StoryPage.objects.get(pk=contribution.story_id).get_latest_revision_as_object()
    draft.title = "As the moderator left it"
    draft.save_revision()
    decide_to_publish(contribution, django_capture_on_commit_callbacks)

    run_queue("publication")

    page = StoryPage.objects.get(pk=contribution.story_id)
    assert page.live and page.title == "As the moderator left it"
