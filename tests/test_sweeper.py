"""`manage.py sweep_uploads`: what a killed web process or an abandoned share form leaves behind goes; nothing
else in the temporary folder is touched."""

import io
import os
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from contributions.models import HeldUpload
from contributions.submission import HELD_UPLOAD_LIFETIME, hold_upload
from tests.media_factory import sine_tone


@pytest.fixture
def temp_dir(tmp_path, settings):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


def age(path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


@pytest.mark.django_db
def test_stale_upload_and_work_files_go_and_everything_else_stays(temp_dir):
    stale_upload = temp_dir / "tmpab12cd.upload.webm"  # Django's own name for an upload streamed to disk
    stale_copy = temp_dir / "voicebox-x1y2.upload"
    stale_dir = temp_dir / "voicebox-workdir"
    stale_dir.mkdir()
    (stale_dir / "remuxed.webm").write_bytes(b"partial")
    fresh = temp_dir / "voicebox-fresh.media"  # a process is still working on this one
    someone_elses = temp_dir / "notes.txt"
    for path in (stale_upload, stale_copy, fresh, someone_elses):
        path.write_bytes(b"x")
    for path in (stale_upload, stale_copy, stale_dir, someone_elses):
        age(path, 7)

    out = io.StringIO()
    call_command("sweep_uploads", stdout=out)

    assert "3 stale working file(s)" in out.getvalue()
    assert not stale_upload.exists() and not stale_copy.exists() and not stale_dir.exists()
    assert fresh.exists() and someone_elses.exists()


@pytest.mark.django_db
def test_recordings_held_for_forms_never_sent_are_erased(temp_dir, story_index, tmp_path_factory):
    tone = sine_tone(tmp_path_factory.mktemp("media") / "take.ogg", seconds=1)
    media = hold_upload(SimpleUploadedFile("take.ogg", tone.read_bytes()), title="Held")
    HeldUpload.objects.filter(media=media).update(held_at=timezone.now() - HELD_UPLOAD_LIFETIME - timedelta(minutes=1))

    call_command("sweep_uploads", stdout=io.StringIO())

    assert not HeldUpload.objects.exists()
    assert not type(media).objects.filter(pk=media.pk).exists()


@pytest.mark.django_db
def test_answers_of_share_forms_left_unsent_go_with_their_ended_session(client):
    client.get("/share/")
    session = client.session
    session["share_flow"] = {"answers": {"story": {"story": ["Words I never sent."]}}}
    session.save()
    ended = Session.objects.create(
        session_key="e" * 32, session_data=session.encode({"share_flow": {}}), expire_date=timezone.now()
    )
    ongoing = Session.objects.get(session_key=session.session_key)

    call_command("sweep_uploads", stdout=io.StringIO())

    assert not Session.objects.filter(pk=ended.pk).exists()
    assert Session.objects.filter(pk=ongoing.pk).exists(), "a visit still going keeps its answers"
