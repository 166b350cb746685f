"""Sharing a story with someone in the admin (assisted sharing, issue 16): a peer worker enters a person's story with
them through the same questions as /share/; the story goes through the same workflow to publication, with its own
key shown once; who helped is for moderators only; a signed consent form is kept as a private scan and erased with
the story; only peer moderators and staff moderators may assist."""

import io
import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from moderation.models import AuditEvent, ConsentRecord, Contribution, PaperScan, StoryStatus
from moderation.models.contributions import story_code
from moderation.workflows import perform_action, start_moderation
from services.responses import RESPONDERS
from services.wagtail_hooks import COMMISSIONERS
from stories.models import StoryPage
from tests import media_factory, sharing
from tests.factories import site_tree
from tests.moderators import make_user, moderator, peer_moderator, sign_in
from tests.workers import run_queue
from transcription.models import Transcript, TranscriptionJob

pytestmark = pytest.mark.django_db

START = "/admin/share-with-someone/"


def photo(marker: str = "", size=(400, 300)) -> SimpleUploadedFile:
    """A phone photo of a paper form, with the marker hidden in its camera metadata (which must not be kept)."""
    picture = Image.new("RGB", size, "white")
    exif = Image.Exif()
    exif[0x010E] = f"Form of {marker}"  # ImageDescription
    data = io.BytesIO()
    picture.save(data, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("IMG_0001.jpg", data.getvalue(), content_type="image/jpeg")


def assisted_answers(**overrides) -> dict:
    answers = {
        **sharing.story_answers(),
        **sharing.choice_answers(),
        "consent_method": ConsentRecord.Method.READ_ALOUD,
        "token": uuid.uuid4().hex,
        **overrides,
    }
    return {name: value for name, value in answers.items() if value is not None}


def shown_key(client) -> str:
    html = client.get(f"{START}done/").content.decode()
    return re.search(r"<code data-story-key>([^<]+)</code>", html)[1]


def test_a_typed_story_goes_from_the_admin_to_publication_with_its_own_key(client, django_capture_on_commit_callbacks):
    site_tree()
    helper = peer_moderator("quillon")
    helper.first_name, helper.last_name = "Quill", "Onslow"
    helper.save()
    pat = sign_in(helper)
    form = pat.get(f"{START}said/")
    assert form.status_code == 200
    assert "no-store" in form["Cache-Control"]
    assert "How did they agree?" in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = pat.post(f"{START}said/", assisted_answers())
    assert response.status_code == 302 and response["Location"] == f"{START}done/"
    done = pat.get(f"{START}done/")
    assert "no-store" in done["Cache-Control"]
    html = done.content.decode()
    key = re.search(r"<code data-story-key>([^<]+)</code>", html)[1]
    assert f"{START}card/" in html and f"/my-story/{key}/card/" not in html
    # Shown once: the page again holds no key; the card is printed once, from the session, by an address without it.
    again = pat.get(f"{START}done/").content.decode()
    assert key not in again and "shown on this page once" in again
    card = pat.get(f"{START}card/")
    assert card.status_code == 200 and "no-store" in card["Cache-Control"]
    assert story_code(key) in card.content.decode()  # their short code, made from their key
    assert pat.get(f"{START}card/").status_code == 302
    assert key not in str(dict(pat.session))

    contribution = Contribution.objects.get()
    assert contribution.channel == Contribution.Channel.ASSISTED
    assert contribution.status == StoryStatus.IN_MODERATION
    consent = contribution.consents.get()
    assert consent.channel == "assisted" and consent.method == ConsentRecord.Method.READ_ALOUD
    assert AuditEvent.objects.filter(action="submitted", channel="assisted").exists()
    helped = AuditEvent.objects.get(action="assisted")
    assert helped.staff_member == helper and helped.actor_role == AuditEvent.Actor.PEER_MODERATOR
    # The contributor's key opens their private page; the helper's admin session is no way in without it.
    assert client.get(f"/my-story/{key}/").status_code == 200

    lead = moderator("lead")
    review = sign_in(lead).get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "Shared with help from" in review and "Quill Onslow" in review
    assert "read aloud to them" in review
    with django_capture_on_commit_callbacks(execute=True):
        perform_action(contribution.story.current_workflow_task_state, lead, "publish")
    run_queue("publication")
    page = StoryPage.objects.get()
    assert page.live
    public = client.get(page.url).content.decode()
    assert sharing.STORY_TEXT.split("\n")[0][:40] in public
    api = client.get(f"/api/v2/stories/{page.pk}/?fields=*")
    assert api.status_code == 200
    api = api.content.decode()
    for shown in (public, api, client.get("/stories/").content.decode()):
        assert "Quill" not in shown and "quillon" not in shown and "Onslow" not in shown


def test_a_recording_from_a_phone_goes_through_transcription_to_publication(
    tmp_path, django_capture_on_commit_callbacks
):
    site_tree()
    pat = sign_in(peer_moderator())
    recording = media_factory.write_audio(tmp_path / "memo.ogg", seconds=2.0)
    answers = assisted_answers(text=None, media_use="media", media=sharing.upload(recording))
    with django_capture_on_commit_callbacks(execute=True):
        response = pat.post(f"{START}recording/", answers)
    assert response.status_code == 302, response.content.decode()[:2000]
    contribution = Contribution.objects.get()
    assert contribution.channel == Contribution.Channel.ASSISTED
    assert contribution.status == StoryStatus.PROCESSING  # the contributor checks the transcript before moderation
    assert contribution.story.media is not None
    assert TranscriptionJob.objects.filter(story=contribution.story).exists()
    assert AuditEvent.objects.filter(action="assisted").exists()

    # The worker's transcript (Whisper itself is tested in the transcription tests), checked by the contributor,
    # then moderation and publication as for any recording.
    page = contribution.story
    segments = [{"start": 0.1, "end": 1.8, "text": "They listened to me.", "words": []}]
    Transcript.objects.create(story=page, language="en", duration=2.0, model_name="test", segments=segments).confirm()
    start_moderation(contribution)
    with django_capture_on_commit_callbacks(execute=True):
        perform_action(page.current_workflow_task_state, moderator("lead"), "publish")
    run_queue("publication")
    page.refresh_from_db()
    page.media.refresh_from_db()
    assert page.live and page.media.published_file.name


def test_a_bad_answer_keeps_everything_typed_and_a_recording_already_checked(tmp_path):
    site_tree()
    pat = sign_in(peer_moderator())
    recording = media_factory.write_audio(tmp_path / "memo.ogg", seconds=2.0)
    answers = assisted_answers(text=None, media_use="media", media=sharing.upload(recording), audience=None)
    response = pat.post(f"{START}recording/", answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose who may see your story." in html and "Finding my feet again" in html
    assert "Their recording is added and checked" in html
    # Sent again with the answer fixed and no new file: the recording checked the first time is the story's.
    fixed = assisted_answers(text=None, media_use="media", token=answers["token"])
    assert pat.post(f"{START}recording/", fixed).status_code == 302
    assert Contribution.objects.get().story.media is not None


def test_a_signed_form_needs_its_scan_and_a_picture_that_is_not_one_is_refused():
    site_tree()
    pat = sign_in(peer_moderator())
    answers = assisted_answers(consent_method=ConsentRecord.Method.SIGNED_FORM)
    response = pat.post(f"{START}said/", answers)
    assert response.status_code == 400
    assert "Add a photo or scan of the form they signed" in response.content.decode()
    not_a_picture = SimpleUploadedFile("form.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = pat.post(f"{START}said/", {**answers, "consent_scan": not_a_picture})
    assert response.status_code == 400
    assert "This is not a photo we can read" in response.content.decode()
    assert not Contribution.objects.exists() and not PaperScan.objects.exists()


@pytest.mark.parametrize("pixels", [(8_000, 8_000), (20_000, 20_000)], ids=["over our cap", "over Pillow's"])
def test_a_picture_with_too_many_pixels_is_refused_before_it_is_decoded(pixels):
    """A small file that would decode to a huge picture (a "bomb"): a 400 with a kind message, nothing kept."""
    site_tree()
    pat = sign_in(peer_moderator())
    bomb = io.BytesIO()
    Image.new("1", pixels).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 100_000
    scan = SimpleUploadedFile("form.png", bomb.getvalue(), content_type="image/png")
    answers = assisted_answers(consent_method=ConsentRecord.Method.SIGNED_FORM, consent_scan=scan)
    response = pat.post(f"{START}said/", answers)
    assert response.status_code == 400
    assert "too many pixels to keep" in response.content.decode()
    assert not Contribution.objects.exists() and not PaperScan.objects.exists()


def test_the_consent_scan_is_private_for_moderators_and_erased_with_the_story(
    client, django_capture_on_commit_callbacks
):
    site_tree()
    marker = f"Zq{uuid.uuid4().hex[:12]}Marker"
    pat = sign_in(peer_moderator())
    answers = assisted_answers(
        title=f"On paper {marker}",
        consent_method=ConsentRecord.Method.SIGNED_FORM,
        consent_scan=photo(marker),
        story_scan=photo(marker, size=(300, 400)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert pat.post(f"{START}paper/", answers).status_code == 302
    key = shown_key(pat)
    contribution = Contribution.objects.get()
    scans = list(contribution.paper_scans.all())
    assert {scan.kind for scan in scans} == {PaperScan.Kind.CONSENT_FORM, PaperScan.Kind.STORY_FORM}
    files = [Path(scan.file.path) for scan in scans]
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    assert all(private in path.parents and path.exists() for path in files)
    assert not any(Path(settings.MEDIA_ROOT) in path.parents for path in files)
    # Redrawn from the pixels: the camera's metadata (the marker) is not kept.
    assert not any(marker.encode() in path.read_bytes() for path in files)
    with Image.open(files[0]) as kept:
        assert kept.format == "JPEG" and not kept.getexif()

    lead = sign_in(moderator("lead"))
    scan_url = f"/admin/moderation/story/{contribution.pk}/paper/{scans[0].pk}/"
    assert scan_url in lead.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    seen = lead.get(scan_url)
    assert seen.status_code == 200 and "no-store" in seen["Cache-Control"] and seen["Content-Type"] == "image/jpeg"
    assert client.get(scan_url).status_code in (302, 403)  # not signed in
    researcher = sign_in(make_user("rita", "Researchers"))
    assert researcher.get(scan_url).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{key}/withdraw/").status_code == 302
    assert not PaperScan.objects.exists()
    assert not any(path.exists() for path in files)
    leftovers = [path for path in private.rglob("*") if path.is_file() and path.suffix == ".jpg"]
    assert leftovers == []


@pytest.mark.parametrize("group", ["Researchers", RESPONDERS, COMMISSIONERS, None])
def test_only_peer_and_staff_moderators_may_assist_by_any_url(group):
    site_tree()
    make = (lambda: make_user("someone", group)) if group else (lambda: make_user("someone"))
    user = make()
    if group is None:  # admin access alone, as a new account might have
        from django.contrib.auth.models import Permission

        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    other = sign_in(user)
    for url in (START, f"{START}said/", f"{START}recording/", f"{START}done/"):
        assert other.get(url).status_code == 403, url
    assert other.post(f"{START}said/", assisted_answers()).status_code == 403
    assert not Contribution.objects.exists()
    assert "Share a story with someone" not in other.get("/admin/").content.decode()


@pytest.mark.parametrize("make", [peer_moderator, moderator])
def test_peer_and_staff_moderators_see_the_way_in(make):
    site_tree()
    helper = sign_in(make())
    assert "Share a story with someone" in helper.get("/admin/").content.decode()
    page = helper.get(START)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert helper.get(f"{START}elsewhere/").status_code == 404


def test_a_story_that_fails_to_save_leaves_no_scan_behind(monkeypatch):
    """A failure after the scans were written (here the email that the story was received) undoes their rows, and
    their files go too: nothing of the person's paper is left that no story refers to."""
    from django.db import DatabaseError

    site_tree()
    pat = sign_in(peer_moderator())

    def database_gone(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr("contributions.submission.notify", database_gone)
    answers = assisted_answers(consent_method=ConsentRecord.Method.SIGNED_FORM, consent_scan=photo())
    with pytest.raises(DatabaseError):
        pat.post(f"{START}paper/", {**answers, "story_scan": photo()})
    assert not Contribution.objects.exists() and not PaperScan.objects.exists()
    assert [path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.jpg")] == []
