"""The test suite: the embedded default, isolated in a temporary directory, fast password hashing."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

SECRET_KEY = "test-only-key-0123456789-voicebox-not-secret-at-all-abcdefghij"  # noqa: S105
DEBUG = False
_TEST_VAR = Path(tempfile.mkdtemp(prefix="voicebox-test-"))
MEDIA_ROOT = _TEST_VAR / "media"
PRIVATE_MEDIA_ROOT = _TEST_VAR / "private"
if "private" in STORAGES and STORAGES["private"]["BACKEND"].endswith("FileSystemStorage"):
    STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = str(_TEST_VAR / "test.sqlite3")
