"""S3-compatible storage for real: moto's standalone server on loopback, driven through the settings' storages.

The storages are built exactly as voicebox/settings/base.py builds them from the S3_* environment variables, so these
tests prove what an operator gets. Private objects (story media) must not be readable without a signature.
"""

import json
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import StorageHandler
from moto.server import ThreadedMotoServer

from stories.models import StoryMedia
from tests.services import base_settings

pytestmark = pytest.mark.s3

REGION = "eu-west-2"
KEYS = {"S3_ACCESS_KEY_ID": "voicebox-test", "S3_SECRET_ACCESS_KEY": "voicebox-test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_settings(s3_endpoint):
    """The STORAGES of an installation configured for a fresh bucket, set up as the README tells operators."""
    bucket = f"voicebox-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    # Anyone may read public/ (published images and documents); nothing else is readable without a signature.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/public/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read))
    configured = base_settings(S3_BUCKET=bucket, S3_ENDPOINT_URL=s3_endpoint, S3_REGION=REGION, **KEYS)
    return {"bucket": bucket, "endpoint": s3_endpoint, "client": client, "STORAGES": configured["STORAGES"]}


def anonymous_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a loopback test server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_public_storage_saves_reads_serves_and_deletes(s3_settings):
    storage = StorageHandler(s3_settings["STORAGES"])["default"]

    name = storage.save("images/hello.txt", ContentFile(b"public words"))

    assert storage.exists(name)
    with storage.open(name) as stored:
        assert stored.read() == b"public words"
    url = storage.url(name)
    assert "Signature" not in url, "public URLs are stable, so pages linking to them can be cached"
    assert anonymous_get(url) == (200, b"public words")
    storage.delete(name)
    assert not storage.exists(name)


def test_private_objects_need_a_signed_url(s3_settings):
    storage = StorageHandler(s3_settings["STORAGES"])["private"]

    name = storage.save("story-media/recording.ogg", ContentFile(b"a private recording"))

    with storage.open(name) as stored:
        assert stored.read() == b"a private recording"
    plain_url = f"{s3_settings['endpoint']}/{s3_settings['bucket']}/private/{name}"
    assert anonymous_get(plain_url)[0] == 403
    signed_url = storage.url(name)
    assert "X-Amz-Signature=" in signed_url
    assert anonymous_get(signed_url) == (200, b"a private recording")
    storage.delete(name)
    assert not storage.exists(name)
    assert anonymous_get(signed_url)[0] == 404


def test_private_and_public_files_never_share_a_prefix(s3_settings):
    storages = StorageHandler(s3_settings["STORAGES"])
    private_name = storages["private"].save("story-media/a.ogg", ContentFile(b"private"))
    public_name = storages["default"].save("images/a.png", ContentFile(b"public"))

    listed = s3_settings["client"].list_objects_v2(Bucket=s3_settings["bucket"])
    keys = sorted(item["Key"] for item in listed["Contents"])

    assert keys == sorted([f"private/{private_name}", f"public/{public_name}"])


@pytest.mark.django_db
def test_story_media_files_go_to_the_private_bucket_prefix(s3_settings, monkeypatch):
    # Django resolves a field's callable storage once, when the model loads; an installation with S3_BUCKET set
    # resolves it to this S3 storage. Here the field is pointed at it after the fact.
    private = StorageHandler(s3_settings["STORAGES"])["private"]
    monkeypatch.setattr(StoryMedia._meta.get_field("file"), "storage", private)

    media = StoryMedia(title="A recording", type="audio", duration=1)
    media.file.save("upload.ogg", ContentFile(b"OggS story media"), save=True)
    key = f"private/{media.file.name}"

    head = s3_settings["client"].head_object(Bucket=s3_settings["bucket"], Key=key)
    assert head["ContentLength"] == len(b"OggS story media")
    assert anonymous_get(f"{s3_settings['endpoint']}/{s3_settings['bucket']}/{key}")[0] == 403
    media.delete_files()
    assert not private.exists(media.file.name)
