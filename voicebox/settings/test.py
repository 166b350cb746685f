"""The test suite: the embedded default, isolated in a temporary directory, fast password hashing."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

SECRET_KEY = "test-only-key-0123456789-voicebox-not-secret-at-all-abcdefghij"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False

# Uploaded and private files of one test run live in a temporary directory that is removed when the run ends.
_TEST_VAR = Path(tempfile.mkdtemp(prefix="voicebox-test-"))
atexit.register(shutil.rmtree, _TEST_VAR, ignore_errors=True)
MEDIA_ROOT = _TEST_VAR / "media"
PRIVATE_MEDIA_ROOT = _TEST_VAR / "private"
if STORAGES["private"]["BACKEND"].endswith("FileSystemStorage"):
    STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = str(_TEST_VAR / "test.sqlite3")
else:
    # Several test runs may share one PostgreSQL server (developers side by side): each creates its own database.
    DATABASES["default"]["TEST"] = {"NAME": f"test_voicebox_{os.getpid()}"}
# WhiteNoise serves static files straight from the app directories, with no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
