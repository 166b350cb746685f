"""Production: every secret must be provided, and `manage.py check --deploy` passes cleanly."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, SITE_URL

DEBUG = False
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must name the host names Voicebox is served on (for example ALLOWED_HOSTS=voicebox.example.org)."
    )
if not SITE_URL and ALLOWED_HOSTS[0] in ("*", "."):
    raise ImproperlyConfigured("SITE_URL must give the public address (for example https://voicebox.example.org).")
# Links in emails, the admin and the API point at the first host name unless SITE_URL says otherwise.
WAGTAILADMIN_BASE_URL = SITE_URL or f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL

# Voicebox runs behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
