"""Local development: the embedded default (SQLite, local files, database queue) with debugging on."""

from .base import *  # noqa: F403
from .base import SECRET_KEY

DEBUG = True
# A fixed key is fine on a developer's machine; production refuses to start without a real one.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-0123456789-voicebox-do-not-deploy"  # noqa: S105
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
