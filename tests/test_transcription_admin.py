"""Transcription jobs in the Wagtail admin: visible with their progress, never editable by hand."""

import pytest
from django.contrib.auth.models import Permission

from tests.moderators import make_user, sign_in
from tests.speech_samples import story_with_recording
from transcription.models import JobStatus, TranscriptionJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    return TranscriptionJob.objects.create(story=story_with_recording(None), status=JobStatus.RUNNING, progress=37)


def test_superusers_see_jobs_and_their_progress_but_cannot_change_them(job):
    client = sign_in(make_user("root", superuser=True))
    listing = client.get("/admin/transcription_jobs/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Being transcribed" in html and ">37<" in html.replace(" ", "").replace("\n", "")
    assert "/admin/transcription_jobs/new/" not in html
    assert client.get(f"/admin/transcription_jobs/inspect/{job.pk}/").status_code == 200
    for refused in ("new/", f"edit/{job.pk}/", f"delete/{job.pk}/"):
        assert client.post(f"/admin/transcription_jobs/{refused}").status_code == 302  # back to the dashboard
    assert TranscriptionJob.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_staff_need_the_view_permission(job):
    editor = make_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = sign_in(editor)
    assert client.get("/admin/transcription_jobs/").status_code == 302
    editor.user_permissions.add(Permission.objects.get(codename="view_transcriptionjob"))
    assert client.get("/admin/transcription_jobs/").status_code == 200
