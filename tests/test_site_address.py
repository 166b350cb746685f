"""Every link Voicebox sends out (in emails, in the API) starts with the configured site address.

Not with the host and port of the request that happened to build it, nor with the Wagtail Site record's (which says
http://localhost, port 80, on a fresh install): a worker sending an email has no request, and a reader of the API
should be sent where the site is really served.
"""

import json
import re
import secrets
import subprocess

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings

from moderation import workflows
from tests.factories import ConsentRecordFactory, ContributionFactory
from tests.moderators import moderator
from tests.public_site import SPOKEN_TRANSCRIPT, build_site, media, publish_story
from tests.services import ROOT
from tests.test_settings import PRODUCTION, run_manage

ADDRESS = "https://stories.example.org:8443"
LINK = re.compile(r"https?://[^\s\"'<>]+")


def configured_links(**variables: str) -> dict:
    result = run_manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; "
        "print(json.dumps({name: getattr(settings, name, None) for name in "
        "('WAGTAILADMIN_BASE_URL', 'WAGTAILAPI_BASE_URL')}))",
        **variables,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_configured_address_is_the_base_of_emails_and_the_api():
    assert configured_links(SITE_URL=ADDRESS + "/") == {
        "WAGTAILADMIN_BASE_URL": ADDRESS,
        "WAGTAILAPI_BASE_URL": ADDRESS,
    }
    production = configured_links(
        DJANGO_SETTINGS_MODULE=PRODUCTION, SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="voicebox.example.org"
    )
    assert set(production.values()) == {"https://voicebox.example.org"}


def test_make_run_gives_the_port_it_serves_on_to_every_process():
    """`make run PORT=8123` serves on 8123: the workers, which send most emails, must link there too (honcho gives
    each process a PORT of its own, so the address comes in SITE_URL)."""
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    (start,) = [line for line in result.stdout.splitlines() if "honcho start" in line]
    assert "http://localhost:8123" in start and "SITE_URL" in start


@pytest.mark.django_db
def test_api_links_start_with_the_configured_address(client):
    index = build_site()  # the Site record: localhost, port 80
    publish_story(index, "Spoken", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=media(seconds=2))
    assert settings.WAGTAILAPI_BASE_URL == settings.WAGTAILADMIN_BASE_URL
    with override_settings(WAGTAILAPI_BASE_URL=ADDRESS):
        listing = client.get("/api/v2/stories/?fields=media_url,captions_url").json()
        (item,) = listing["items"]
        detail = client.get(f"/api/v2/stories/{item['id']}/").json()
    links = LINK.findall(json.dumps([listing, detail]))
    assert len(links) >= 7  # detail and page links, media and captions, in the list and the detail
    assert [link for link in links if not link.startswith(ADDRESS + "/")] == []


@pytest.mark.django_db
def test_email_links_start_with_the_configured_address(django_capture_on_commit_callbacks):
    moderator("mo")
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution)
    with override_settings(WAGTAILADMIN_BASE_URL=ADDRESS), django_capture_on_commit_callbacks(execute=True):
        workflows.start_moderation(contribution)
    (message,) = mail.outbox
    texts = [message.body, *(content for content, _ in message.alternatives)]
    links = [link for text in texts for link in LINK.findall(text)]
    assert links and [link for link in links if not link.startswith(ADDRESS + "/")] == []
