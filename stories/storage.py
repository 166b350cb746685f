"""Where story media lives before (and apart from) publication."""

import uuid
from pathlib import PurePosixPath

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """The `private` storage alias: outside MEDIA_ROOT locally, a private prefix with signed URLs on S3.

    A callable (not an instance) so model fields and migrations don't freeze one environment's storage.
    """
    return storages["private"]


def random_media_name(instance, filename: str) -> str:
    """Uploads are renamed to a random name. Callers pass a name they chose from the probed container (e.g.
    "upload.ogg"); even so only a short alphanumeric suffix survives, so no path character can get through."""
    suffix = PurePosixPath(filename).suffix[:8]
    suffix = suffix if suffix[1:].isalnum() else ""
    return f"story-media/{uuid.uuid4().hex}{suffix}"
