"""Crisis signposting is a site setting (UK defaults), shown where people share and read stories."""

import pytest
from wagtail.models import Site

from base.models import CrisisSignposting
from tests.public_site import build_site, publish_story

pytestmark = pytest.mark.django_db


def test_the_uk_defaults_are_shown_without_anything_being_saved(client):
    build_site()
    page = client.get("/share/").content.decode()
    for text in ("999", "NHS 111", "option 2", "Samaritans", "116 123", "Shout", "85258", 'href="tel:116123"'):
        assert text in page
    assert 'href="sms:85258?body=SHOUT"' in page
    assert not CrisisSignposting.objects.exists()  # reading a page never writes


def test_what_the_admin_saves_is_what_people_see_on_the_share_flow_and_story_pages(client):
    index = build_site()
    story = publish_story(index, "A story", body=("Words.",))
    setting = CrisisSignposting.reading(Site.objects.get(is_default_site=True))
    setting.heading = "Help, right now"
    setting.services = [
        (
            "service",
            {"name": "Llinell Gymorth", "how": "call", "number": "0800 132 737", "message": "", "detail": "Welsh"},
        ),
        *[("service", block.value) for block in setting.services],
    ]
    setting.save()

    for path in ("/share/", story.url):
        page = client.get(path).content.decode()
        assert "Help, right now" in page and "0800 132 737" in page and "116 123" in page, path
