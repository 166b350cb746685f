""" "Ask a peer worker to help": the first step of /share/ offers the ways to reach someone who helps people share, as
staff moderators set them in the admin (the "help to share" site setting), and only those that are set; the policy
says a story can be shared with a peer worker's or a staff member's help."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from contributions.models import SharingHelp
from moderation.models import ConsentText
from tests import sharing
from tests.moderators import moderator, peer_moderator, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}  # Wagtail answers 403 (not a redirect) to script requests


def offer(client) -> BeautifulSoup | None:
    page = BeautifulSoup(client.get("/share/").content, "html.parser")
    return page.find("section", class_="sharing-help")


def test_no_offer_until_staff_set_a_way_to_reach_someone(client):
    assert offer(client) is None
    SharingHelp.objects.create(site=Site.objects.get(is_default_site=True), phone_hours="Weekdays")  # no route yet
    assert offer(client) is None


def test_staff_moderators_set_the_routes_and_the_share_form_offers_only_those(client):
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/contributions/sharinghelp/{site.pk}/"
    assert sign_in(peer_moderator()).get(url, **XHR).status_code == 403
    staff = sign_in(moderator())
    response = staff.post(
        url,
        {
            "phone": "0161 496 0000",
            "phone_hours": "Monday to Friday, 10am to 4pm",
            "email": "",
            "drop_in": "Tuesdays 1pm to 3pm at the Recovery College café.\nNo need to book.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    section = offer(client)
    assert "A peer worker or a member of our staff can help you" in section.get_text()
    routes = [item.get_text(" ", strip=True) for item in section.find_all("li")]
    assert routes == [
        "Call 0161 496 0000 (Monday to Friday, 10am to 4pm)",
        "Come along in person: Tuesdays 1pm to 3pm at the Recovery College café. No need to book.",
    ]
    assert section.find("a", href="tel:01614960000")
    assert not section.find("a", href=lambda href: href and href.startswith("mailto:"))  # no email set, none shown

    SharingHelp.objects.filter(site=site).update(phone="", drop_in="", email="peers@example.org")
    section = offer(client)
    assert [item.get_text(" ", strip=True) for item in section.find_all("li")] == ["Email peers@example.org"]
    assert section.find("a", href="mailto:peers@example.org")


def test_a_bad_email_address_is_refused_kindly_in_the_admin(client):
    site = Site.objects.get(is_default_site=True)
    staff = sign_in(moderator())
    response = staff.post(f"/admin/settings/contributions/sharinghelp/{site.pk}/", {"email": "not an address"})
    assert response.status_code == 200 and "Enter a valid email address" in response.content.decode()
    assert not SharingHelp.objects.filter(email="not an address").exists()


def test_the_policy_explains_sharing_with_help(client):
    text = BeautifulSoup(client.get("/policy/").content, "html.parser").get_text(" ", strip=True)
    assert "A peer worker or a member of our staff can help: they can enter your story with you" in text
    assert "Who helped you is never published." in text


def test_the_consent_text_explains_sharing_with_help_in_a_new_version(client):
    current = ConsentText.current()
    assert "If a peer worker or a member of our staff helps you share" in current.body
    assert "Who helped you is never published." in current.body
    # The first text is kept as it was, so a consent given against it still matches its exact words.
    first = ConsentText.objects.exclude(pk=current.pk).get(language=current.language)
    assert not first.is_current and "helps you share" not in first.body
    client.post("/share/", {"method": "write"})
    client.post("/share/story/", sharing.story_answers())
    page = client.get("/share/choices/").content.decode()
    assert "If a peer worker or a member of our staff helps you share" in page
