"""Where story media lives before (and apart from) publication."""

import os
import uuid
from contextlib import suppress
from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage, Storage, storages


def private_storage() -> Storage:
    """The `private` storage alias: outside MEDIA_ROOT locally, a private prefix with signed URLs on S3.

    A callable (not an instance) so model fields and migrations don't freeze one environment's storage.
    """
    return storages["private"]


class CleanFileSystemStorage(FileSystemStorage):
    """Local storage that leaves no partial file behind when a write fails (a full disk, say).

    Django's FileSystemStorage keeps whatever it wrote before the error: a truncated recording under a name that no
    row refers to. `save` has already chosen a name no file had (story media get random names, so nothing else can
    take it meanwhile), so what is there after a failed write is this write's own remains.
    """

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError:
            with suppress(FileNotFoundError):
                os.remove(self.path(name))
            raise


def random_media_name(instance, filename: str) -> str:
    """Uploads are renamed to a random name. Callers pass a name they chose from the probed container (e.g.
    "upload.ogg"); even so only a short alphanumeric suffix survives, so no path character can get through."""
    suffix = PurePosixPath(filename).suffix[:8]
    suffix = suffix if suffix[1:].isalnum() else ""
    return f"story-media/{uuid.uuid4().hex}{suffix}"
