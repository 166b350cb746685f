"""Security headers on public pages: a strict CSP with no inline script or style, Referrer-Policy, nosniff, framing."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.core.cache import cache

from tests.conftest import ROOT
from tests.public_site import SPOKEN_TRANSCRIPT, build_site, content_note, media, publish_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    cache.clear()
    index = build_site()
    text = publish_story(index, "Text", body=("x",), notes=(content_note("Grief"),))
    audio = publish_story(index, "Audio", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=media())
    return ["/", "/stories/", text.url, audio.url, "/themes/", "/search/?q=x", "/reading-preferences/"]


def test_public_pages_send_a_strict_policy_and_have_no_inline_script_or_style(client, pages):
    for path in pages:
        for _ in range(2):  # the stored copy gets the same headers as the first response
            response = client.get(path)
            policy = response["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "style-src 'self'" in policy, path
            assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
            assert response["Referrer-Policy"] == "same-origin"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["X-Frame-Options"] == "DENY"
            html = response.content.decode()
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), f"inline script on {path}"
            assert "<style" not in html and " style=" not in html, f"inline style on {path}"
            assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"
            # The canonical link names this site's own address in full; any other origin would be a third party.
            assert not re.search(r'(src|href)="(https?:)?//(?!testserver/)', html), f"third-party request on {path}"


def test_production_settings_send_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_REFERRER_POLICY)"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "DJANGO_SETTINGS_MODULE": "voicebox.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "stories.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    hsts, session_secure, csrf_secure, referrer = result.stdout.split()[-4:]
    assert int(hsts) >= 31536000 and session_secure == "True" and csrf_secure == "True"
    assert referrer == "same-origin"
