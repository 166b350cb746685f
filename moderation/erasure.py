"""Erasure: when a contributor withdraws, their story is taken down and erased.

Gone: the page and all its revisions, workflow states and admin log entries, the story's media files (original,
published copy, thumbnail), its transcript and transcription job, a publication still under way, queued task
payloads, its consent records, the photos or scans of paper kept from assisted sharing (a signed consent form, a
story written on paper) with their files, and its contribution.
Kept: a content-free AuditEvent ("withdrawn") and a tombstone of the story key's hash, so the contributor's link
says what happened instead of "not found".
Files are deleted once the database transaction commits, so a failed erasure never leaves a page without its media.
On SQLite, the words are gone from the files themselves too: secure_delete (settings) overwrites the pages a deletion
frees, and the write-ahead log, which still holds the pages as they were, is checkpointed and emptied.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision, WorkflowState
from wagtail.search.models import IndexEntry
from wagtail.search.tasks import insert_or_update_object_task
from wagtail.tasks import update_reference_index_task

from base import task_payloads
from stories.governance import publishing_under_governance
from stories.links import public_urls, purge
from stories.models import StoryMedia, StoryPage
from stories.signals import story_withdrawn
from transcription.services import forget_story

from .models import AuditEvent, Contribution, WithdrawnStoryKey
from .publication import publish_decided_story

# Wagtail writes a page's title into its log messages and audit entries when unpublishing and deleting it; the
# title is replaced first so nothing of the story reaches the logs.
ERASED_TITLE = "Withdrawn story"
SQLITE_FTS_TABLE = "wagtailsearch_indexentry_fts"

logger = logging.getLogger(__name__)


def erase_story(contribution: Contribution) -> None:
    with transaction.atomic():
        page = contribution.story
        story_ref = page.pk if page else contribution.pk
        if page is not None:
            urls = public_urls(page.specific)
            forget_story(page.pk)  # transcript, job, queued task payloads
            _erase_page(page.specific)
            erase_search_traces(page.pk)
            transaction.on_commit(lambda: purge(urls))
            transaction.on_commit(empty_write_ahead_log)
        WithdrawnStoryKey.objects.get_or_create(key_hash=contribution.key_hash)
        # A publication still queued goes with its payload; one running finds its Publication gone and publishes
        # nothing (moderation.publication).
        task_payloads.delete_payloads(publish_decided_story, contribution.pk)
        # Paper scans one by one, so each file is deleted on commit (moderation.models.consent.delete_paper_scan_file).
        for scan in contribution.paper_scans.all():
            scan.delete()
        contribution.delete()  # consent records and any pending publication go with it (on_delete=CASCADE)
        AuditEvent.record(story_ref, AuditEvent.Action.WITHDRAWN, AuditEvent.Actor.CONTRIBUTOR)
        if page is not None:
            # Others that hold something of the story (research exports) hear of it once the erasure has committed.
            transaction.on_commit(lambda: story_withdrawn.send(sender=StoryPage, story_ref=story_ref))


def empty_write_ahead_log() -> None:
    """Copy SQLite's write-ahead log into the database and truncate it: until then, the log keeps earlier versions of
    the pages the erasure changed, the story's words in them. Other connections' reads in progress can delay it;
    then the log is emptied by a later erasure's checkpoint, and overwritten as the database is written."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        if cursor.fetchone()[0] != "wal":
            return  # a database in memory (the test suite's) has no log
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _, _ = cursor.fetchone()
    if busy:
        logger.warning("The database's write-ahead log could not be emptied after an erasure: it was in use.")


def erase_media(media: StoryMedia) -> None:
    """Delete a media row and its admin log entries; its files go on commit (stories.models.delete_media_files)."""
    media_type = ContentType.objects.get_for_model(StoryMedia)
    ModelLogEntry.objects.filter(content_type=media_type, object_id=str(media.pk)).delete()
    _forget_index_updates(StoryMedia, media.pk)
    media.delete()


def _erase_page(page: StoryPage) -> None:
    page_id, media = page.pk, page.media
    Page.objects.filter(pk=page_id).update(title=ERASED_TITLE, draft_title=ERASED_TITLE)
    page.title = page.draft_title = ERASED_TITLE
    if page.live:
        # Unpublished for everything listening (caches, feeds, vectors) but not saved: a save would queue Wagtail's
        # search and reference index updates for a page that is gone by the time the worker runs them.
        with publishing_under_governance():  # the contributor's withdrawal is a recorded decision
            page.unpublish(commit=False, log_action=None)
    page_type = ContentType.objects.get_for_model(Page)
    WorkflowState.objects.filter(base_content_type=page_type, object_id=str(page_id)).delete()
    Revision.page_revisions.filter(object_id=str(page_id)).delete()
    page.delete()
    # Includes the entry Wagtail has just written for the deletion itself.
    PageLogEntry.objects.filter(page_id=page_id).delete()
    _forget_index_updates(StoryPage, page_id)
    if media is not None:
        erase_media(media)


def _forget_index_updates(model, pk: int) -> None:
    """Wagtail queues a search and a reference index update each time a page or media is saved; those still waiting
    for an erased object could only fail in the worker (it is gone, and so are its index entries)."""
    for task in (insert_or_update_object_task, update_reference_index_task):
        task_payloads.delete_waiting(task, [model._meta.app_label, model._meta.model_name, str(pk)])


# --- Derived traces: search index, frontend cache (moderation) -------------------------------------------------
# Decisions, appeals, redactions and safeguarding records go with the contribution (on_delete=CASCADE), and the
# moderation task states with the page's workflow states.


def erase_search_traces(page_id: int) -> None:
    """Remove the story from the search index, and squeeze its words out of the index's own storage.

    Deleting a row from SQLite's full-text index only marks its terms deleted: they stay in the index's segments
    until those are merged. An "optimize" merges them now, so no trace of the story's words is left there.
    """
    story_types = ContentType.objects.get_for_models(Page, StoryPage).values()
    IndexEntry.objects.filter(content_type__in=story_types, object_id=str(page_id)).delete()
    if connection.vendor == "sqlite" and SQLITE_FTS_TABLE in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}) VALUES ('optimize')")  # noqa: S608
