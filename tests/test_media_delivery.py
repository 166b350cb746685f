"""Media delivery: only a live story's published copy is public, with Range support and safe headers.

Staff reach the private original through their own view; the public never does. With S3-compatible storage (a moto
server on loopback) the views redirect to short-lived signed URLs instead of streaming.
"""

import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import boto3
import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage
from wagtail.models import PageViewRestriction

from contributions.submission import hold_upload
from stories.links import published_media_url
from stories.media_intake import store_upload
from stories.media_publishing import make_published_copy
from stories.models import StoryMedia, StoryPage
from tests import media_factory
from tests.factories import site_tree

pytestmark = pytest.mark.django_db


def make_story(media: StoryMedia | None, *, live: bool = True, show_media: bool = True) -> StoryPage:
    story = StoryPage(
        title="Finding my feet",
        slug=f"story-{uuid.uuid4().hex[:8]}",
        story_format="audio",
        media=media,
        show_media=show_media,
        live=False,
    )
    site_tree()[1].add_child(instance=story)
    if live:
        story.save_revision().publish()
    return StoryPage.objects.get(pk=story.pk)


def stored_media(tmp_path: Path, *, publish: bool = True) -> StoryMedia:
    tone = media_factory.sine_tone(tmp_path / f"{uuid.uuid4().hex}.ogg", seconds=2)
    media = store_upload(SimpleUploadedFile("tone.ogg", tone.read_bytes()), title="Tone")
    if publish:
        make_published_copy(media)
    return media


@pytest.fixture
def published_story(tmp_path):
    return make_story(stored_media(tmp_path))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- The published copy, with Range support -----------------------------------------------------------------------


def test_published_media_is_served_whole_with_safe_headers(published_story):
    url = published_media_url(published_story)
    assert url == f"/story-media/{published_story.pk}/voicebox-story-{published_story.pk}.ogg"

    response = Client().get(url)

    assert response.status_code == 200
    assert body(response) == Path(published_story.media.published_file.path).read_bytes()
    assert response["Content-Type"] == "audio/ogg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Disposition"] == f'inline; filename="voicebox-story-{published_story.pk}.ogg"'
    assert response["Cache-Control"] == "public, max-age=300, s-maxage=3600"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Length"] == str(published_story.media.published_file.size)


def test_range_requests_get_the_right_bytes(published_story):
    url = published_media_url(published_story)
    data = Path(published_story.media.published_file.path).read_bytes()
    size = len(data)
    client = Client()

    first = client.get(url, HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206
    assert first["Content-Range"] == f"bytes 0-99/{size}"
    assert first["Content-Length"] == "100"
    assert first["Content-Type"] == "audio/ogg"
    assert body(first) == data[:100]

    rest = client.get(url, HTTP_RANGE="bytes=1000-")
    assert rest.status_code == 206
    assert rest["Content-Range"] == f"bytes 1000-{size - 1}/{size}"
    assert body(rest) == data[1000:]

    tail = client.get(url, HTTP_RANGE="bytes=-50")
    assert (tail.status_code, body(tail)) == (206, data[-50:])

    past_the_end = client.get(url, HTTP_RANGE="bytes=500-999999999")
    assert (past_the_end.status_code, body(past_the_end)) == (206, data[500:])


def test_unsatisfiable_range_gets_416(published_story):
    url = published_media_url(published_story)
    size = published_story.media.published_file.size
    for header in (f"bytes={size}-", f"bytes={size + 10}-{size + 20}", "bytes=-0"):
        response = Client().get(url, HTTP_RANGE=header)
        assert response.status_code == 416, header
        assert response["Content-Range"] == f"bytes */{size}"


def test_malformed_or_multiple_ranges_get_the_whole_file(published_story):
    url = published_media_url(published_story)
    size = published_story.media.published_file.size
    for header in ("bytes=abc", "items=0-10", "bytes=20-10", "bytes=0-1,5-9"):
        response = Client().get(url, HTTP_RANGE=header)
        assert (response.status_code, len(body(response))) == (200, size), header


def test_conditional_requests_use_the_etag(published_story):
    url = published_media_url(published_story)
    client = Client()
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # A Range with a stale If-Range gets the whole (new) file.
    stale = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"something-else"')
    assert stale.status_code == 200
    assert client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag).status_code == 206


def test_only_get_and_head(published_story):
    url = published_media_url(published_story)
    assert Client().head(url).status_code == 200
    assert Client().post(url).status_code == 405


# --- 404 for everything that isn't a live story's published copy --------------------------------------------------


def test_draft_story_media_is_404(tmp_path):
    draft = make_story(stored_media(tmp_path), live=False)
    url = f"/story-media/{draft.pk}/voicebox-story-{draft.pk}.ogg"
    assert Client().get(url).status_code == 404
    assert Client().get(url, HTTP_RANGE="bytes=0-10").status_code == 404


def test_unpublished_story_media_is_404(published_story):
    url = published_media_url(published_story)
    assert Client().get(url).status_code == 200
    published_story.unpublish()
    assert Client().get(url).status_code == 404


def test_transcript_only_story_media_is_404(tmp_path):
    story = make_story(stored_media(tmp_path), show_media=False)
    assert published_media_url(story) is None
    assert Client().get(f"/story-media/{story.pk}/voicebox-story-{story.pk}.ogg").status_code == 404


def test_story_without_a_published_copy_is_404(tmp_path):
    story = make_story(stored_media(tmp_path, publish=False))
    assert story.media.file  # the private original exists...
    assert published_media_url(story) is None
    assert Client().get(f"/story-media/{story.pk}/voicebox-story-{story.pk}.ogg").status_code == 404  # ...unreachable


def test_private_original_is_never_reachable_by_the_public(published_story):
    media = published_story.media
    original_name = Path(media.file.name).name
    client = Client()
    assert client.get(f"/story-media/{published_story.pk}/{original_name}").status_code == 404
    assert client.get(f"/media/{media.file.name}").status_code == 404
    assert client.get(f"/media/{media.published_file.name}").status_code == 404
    assert client.get(media.url).status_code == 404  # the staff view, asked anonymously


def test_wrong_file_name_or_page_is_404(published_story):
    client = Client()
    assert client.get(f"/story-media/{published_story.pk}/voicebox-story-{published_story.pk}.mp4").status_code == 404
    assert client.get(f"/story-media/{published_story.pk}/..%2F..%2Fsettings.py").status_code == 404
    assert (
        client.get(f"/story-media/{published_story.pk + 999}/voicebox-story-{published_story.pk}.ogg").status_code
        == 404
    )


def test_view_restricted_story_media_is_404(published_story):
    PageViewRestriction.objects.create(page=published_story, restriction_type="password", password="secret")
    assert Client().get(published_media_url(published_story)).status_code == 404


def test_missing_published_file_is_404_not_an_error(published_story):
    Path(published_story.media.published_file.path).unlink()
    assert Client().get(published_media_url(published_story)).status_code == 404


# --- The private original, for the story's reviewers only ---------------------------------------------------------


def moderator(username: str = "mo") -> User:
    user = User.objects.create_user(username, password="a long enough password")
    user.groups.add(Group.objects.get(name="Moderators"))  # Wagtail's default group with admin access
    return user


def signed_in(user: User, *, second_factor: bool = True) -> Client:
    """A client signed in as `user`; with `second_factor`, also past the admin's two-step sign-in (django-otp)."""
    client = Client()
    client.force_login(user)
    if second_factor:
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def test_staff_can_play_the_private_original(published_story):
    media = published_story.media
    client = signed_in(moderator())
    response = client.get(media.url)
    assert response.status_code == 200
    assert body(response) == Path(media.file.path).read_bytes()
    assert response["Content-Type"] == "audio/ogg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    ranged = client.get(media.url, HTTP_RANGE="bytes=10-19")
    assert (ranged.status_code, body(ranged)) == (206, Path(media.file.path).read_bytes()[10:20])


def admin_user(username: str, *, group: str | None = None, is_staff: bool = False) -> User:
    """An account with admin access but no moderation role: in `group`, or given admin access directly."""
    user = User.objects.create_user(username, password="a long enough password", is_staff=is_staff)
    if group:
        user.groups.add(Group.objects.get(name=group))
    else:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return user


@pytest.mark.parametrize("show_media", [True, False], ids=["media", "my-words-not-my-voice"])
def test_only_the_storys_reviewers_hear_its_private_original(tmp_path, show_media):
    draft = make_story(stored_media(tmp_path, publish=False), live=False, show_media=show_media)
    url = draft.media.url
    peer = User.objects.create_user("peer", password="a long enough password")
    peer.groups.add(Group.objects.get(name="Peer moderators"))

    assert signed_in(moderator()).get(url).status_code == 200
    assert signed_in(peer).get(url).status_code == 200
    assert (
        signed_in(User.objects.create_superuser("admin", password="a long enough password")).get(url).status_code == 200
    )
    refused = {
        "anonymous": Client(),
        "reader": signed_in(User.objects.create_user("reader", password="a long enough password")),
        "moderator without the second factor": signed_in(moderator("password-only"), second_factor=False),
        "researcher": signed_in(admin_user("researcher", group="Researchers")),
        "Wagtail editor": signed_in(admin_user("editor", group="Editors")),
        "staff without a role": signed_in(admin_user("staff", is_staff=True)),
    }
    for who, client in refused.items():
        assert client.get(url).status_code == 404, who


def test_a_recording_held_for_an_unsent_form_is_no_ones_to_hear(tmp_path):
    tone = media_factory.sine_tone(tmp_path / "held.ogg", seconds=2)
    held = hold_upload(SimpleUploadedFile("held.ogg", tone.read_bytes()), title="Held")
    superuser = signed_in(User.objects.create_superuser("admin", password="a long enough password"))
    assert signed_in(moderator()).get(held.url).status_code == 404
    assert superuser.get(held.url).status_code == 404
    assert superuser.get(f"/story-media/review/{held.pk + 1000}/").status_code == 404


def test_wagtailmedia_admin_links_to_the_staff_view(tmp_path):
    recording = media_factory.mediarecorder_webm(tmp_path / "rec.webm", seconds=2)
    media = store_upload(SimpleUploadedFile("rec.webm", recording.read_bytes()), title="Browser recording")
    admin = signed_in(User.objects.create_superuser("admin", password="a long enough password"))

    listing = admin.get("/admin/media/")
    assert listing.status_code == 200
    assert f'href="/story-media/review/{media.pk}/"' in listing.content.decode()
    assert "/media/story-media/" not in listing.content.decode()

    # A story's media change only with the story, not in the library (superusers included).
    edit_url = f"/admin/media/edit/{media.pk}/"
    assert admin.get(edit_url).status_code == 403
    assert admin.post(edit_url, {"title": "Renamed", "collection": media.collection_id}).status_code == 403
    media.refresh_from_db()
    assert media.title == "Browser recording"
    assert admin.get(media.url).status_code == 404  # a recording on no story is no one's to hear
    make_story(media, live=False)
    assert admin.get(media.url).status_code == 200


# --- S3-compatible storage: short-lived signed URLs ---------------------------------------------------------------


@pytest.fixture
def s3_private_storage(monkeypatch):
    """A moto S3 server on loopback, with StoryMedia's private fields pointed at a private bucket on it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}
    boto3.client("s3", endpoint_url=endpoint, **credentials).create_bucket(Bucket="voicebox-private")
    storage = S3Storage(
        bucket_name="voicebox-private",
        endpoint_url=endpoint,
        access_key="testing",
        secret_key="testing",
        region_name="us-east-1",
        location="private",
        default_acl="private",
        querystring_auth=True,
        querystring_expire=300,
        file_overwrite=False,
    )
    for name in ("file", "published_file"):
        monkeypatch.setattr(StoryMedia._meta.get_field(name), "storage", storage)
    yield endpoint
    server.stop()


@pytest.mark.s3
def test_s3_published_media_redirects_to_a_signed_url(tmp_path, s3_private_storage):
    media = stored_media(tmp_path)  # stored on S3, and the published copy made from the S3 original
    story = make_story(media)

    response = Client().get(published_media_url(story))

    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"
    signed = response["Location"]
    assert signed.startswith(f"{s3_private_storage}/voicebox-private/private/story-media/")
    query = parse_qs(urlsplit(signed).query)
    assert {"Signature", "X-Amz-Signature"} & set(query)  # botocore signs with SigV2 or SigV4
    lifetime = int(query["X-Amz-Expires"][0]) if "X-Amz-Expires" in query else int(query["Expires"][0]) - time.time()
    assert 0 < lifetime <= 300
    with urlopen(signed) as fetched:  # noqa: S310  (our own loopback test server)
        assert fetched.headers["Content-Type"] == "audio/ogg"
        assert fetched.headers["Content-Disposition"] == f'inline; filename="voicebox-story-{story.pk}.ogg"'
        data = fetched.read()
    with media.published_file.open("rb") as stored:
        assert data == stored.read()
    with pytest.raises(Exception, match="403"):
        urlopen(signed.split("?")[0])  # noqa: S310  (unsigned: the bucket is private)


@pytest.mark.s3
def test_s3_draft_media_is_still_404(tmp_path, s3_private_storage):
    draft = make_story(stored_media(tmp_path), live=False)
    assert Client().get(f"/story-media/{draft.pk}/voicebox-story-{draft.pk}.ogg").status_code == 404
