"""A full disk (ENOSPC) while a visitor shares a story: a kind, retryable 503 that keeps what they typed, and nothing
half-saved left behind (no row, no partial file in private storage or the upload folder).

The disks are real and really full: small tmpfs mounts filled almost to the brim (`full_disk` in conftest.py), so
the kernel itself refuses the write part-way through. The database's full disk is SQLite's own: a page limit the
story's rows run into, which SQLite reports exactly as it reports a full disk (SQLITE_FULL).
"""

import errno
import sqlite3
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from base.disk_full import RETRY_AFTER_SECONDS, is_disk_full
from contributions.models import HeldUpload
from moderation.models import Contribution
from stories.models import StoryMedia, StoryPage
from stories.storage import CleanFileSystemStorage
from tests import media_factory, sharing

KIND = "We couldn't save this just now"
TRY_AGAIN = "Please try again in a few minutes;\nnothing you typed is lost."


def left_in(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.name != "filler")


def assert_kind_503(response) -> str:
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert KIND in html and TRY_AGAIN in html
    assert "Something went wrong" not in html
    return html


def recording(tmp_path) -> Path:
    """Half a megabyte of WAV: far more than the full disk takes, and stored as it is (no remux)."""
    return media_factory.sine_tone(tmp_path / "my recording.wav", seconds=5, codec="pcm_s16le")


def start_sharing(client, method: str) -> None:
    assert client.post("/share/", {"method": method}).status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("story_index")
@pytest.mark.parametrize("method", ["upload", "record"])
def test_a_recording_meeting_a_full_private_disk_is_a_kind_503_and_leaves_nothing(
    client, tmp_path, private_storage_on_full_disk, method
):
    """An uploaded file, or a recording made in the browser (sent in the same field), is stored privately while the
    form is finished: the disk fills part-way through that write."""
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    start_sharing(client, method)
    title = "Nights on the ward, and after"
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(uploads)):
        response = client.post(
            "/share/story/",
            sharing.story_answers(title=title, text=None, media=sharing.upload(recording(tmp_path))),
        )

    html = assert_kind_503(response)
    assert f'name="title" value="{title}"' in html  # sent again by "Try again"
    assert f">{title}</textarea>" in html  # and shown, to copy
    assert "please choose or record it again" in html
    assert StoryMedia.objects.count() == 0 and HeldUpload.objects.count() == 0
    assert left_in(private_storage_on_full_disk) == ["story-media"]  # no truncated recording in private storage
    assert left_in(uploads) == []  # nor in the upload folder


@pytest.mark.django_db
@pytest.mark.usefixtures("story_index")
def test_an_upload_meeting_a_full_upload_folder_is_a_kind_503_with_the_rest_of_the_form(
    client, tmp_path, full_disk, caplog
):
    """The upload streams into the temporary folder, which fills mid-file; the fields sent after the file still
    arrive, so the page has every word."""
    start_sharing(client, "upload")
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(full_disk)):
        response = client.post(
            "/share/story/",
            # The file first and the title after it: a browser sends fields in the order of the form.
            {"media": sharing.upload(recording(tmp_path)), "title": "Written after the file", "language": "en"},
        )

    html = assert_kind_503(response)
    assert 'name="title" value="Written after the file"' in html
    assert StoryMedia.objects.count() == 0 and HeldUpload.objects.count() == 0
    assert left_in(full_disk) == []
    # An alert for whoever runs the site, naming the view, not the path or anything typed.
    alerts = [record.getMessage() for record in caplog.records if record.levelname == "CRITICAL"]
    assert alerts == ["The disk is full: a POST to contributions:share_story could not be saved (answered 503)."]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("story_index")
def test_a_written_story_meeting_a_full_database_is_rolled_back_and_kept_for_the_retry(client):
    """The database's disk fills while the story's rows are written: nothing of the story stays, the words are
    still in the person's session (the check page shows them), and "Try again" sends it once there is room."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page limit stands in for its full disk; this run was given another database.")
    story = "I kept a notebook of the good days. " * 400  # many pages of rows: more than the database has room for
    fields = sharing.fill_in(client, story=sharing.story_answers(text=story))
    with connection.cursor() as cursor:
        # Pages freed by earlier work would take the story's rows without the file growing: give them back first.
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA max_page_count")
        unlimited = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: a full disk to SQLite
    try:
        response = client.post("/share/check/", fields)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA max_page_count = {unlimited}")

    html = assert_kind_503(response)
    assert f'name="token" value="{fields["token"]}"' in html
    assert Contribution.objects.count() == 0 and StoryPage.objects.count() == 0
    assert "I kept a notebook of the good days." in client.get("/share/check/").content.decode()

    retried = client.post("/share/check/", fields)  # what "Try again" sends, now that there is room
    assert retried.status_code == 302 and retried["Location"] == "/share/done/"
    assert Contribution.objects.count() == 1
    assert StoryPage.objects.get().paragraphs == [story.strip()]


def test_storage_deletes_what_it_wrote_before_the_disk_filled(full_disk, tmp_path):
    storage = CleanFileSystemStorage(location=full_disk)
    with pytest.raises(OSError) as failed, recording(tmp_path).open("rb") as content:
        storage.save("story-media/partial.wav", content)
    assert failed.value.errno == errno.ENOSPC
    assert left_in(full_disk) == ["story-media"]  # the folder it made, and no file in it


def test_disk_full_is_recognised_through_the_database_drivers_errors():
    def raised_from(cause):
        try:
            raise OperationalError("database or disk is full") from cause
        except OperationalError as error:
            return error

    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorcode = sqlite3.SQLITE_BUSY
    postgres_full = Exception("could not extend file: No space left on device")
    postgres_full.sqlstate = "53100"

    assert is_disk_full(raised_from(full)) and is_disk_full(raised_from(postgres_full))
    assert is_disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert not is_disk_full(raised_from(locked)) and not is_disk_full(OSError(errno.EACCES, "Permission denied"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("story_index")
def test_a_recording_whose_hold_cannot_be_written_is_erased(client, tmp_path, stored_files, monkeypatch):
    """The database fills between the recording's row and the row that holds it for the form: without its hold
    nothing would ever erase it, so it goes at once (row and file)."""

    def database_full(**fields):
        full = sqlite3.OperationalError("database or disk is full")
        full.sqlite_errorcode = sqlite3.SQLITE_FULL
        raise OperationalError(*full.args) from full

    monkeypatch.setattr(HeldUpload.objects, "create", database_full)
    start_sharing(client, "upload")
    response = client.post("/share/story/", sharing.story_answers(text=None, media=sharing.upload(recording(tmp_path))))

    assert_kind_503(response)
    assert StoryMedia.objects.count() == 0 and stored_files.added() == set()
