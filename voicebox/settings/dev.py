"""Local development: the embedded default (SQLite, local files, database queue) with debugging on."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, EMAIL_URL, SECRET_KEY

DEBUG = True
# A fixed key is fine on a developer's machine; production refuses to start without a real one.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-0123456789-voicebox-do-not-deploy"  # noqa: S105
ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
# runserver speaks plain HTTP.
SECURE_SSL_REDIRECT = False
if not EMAIL_URL:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# WhiteNoise serves static files straight from the app directories, with no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
