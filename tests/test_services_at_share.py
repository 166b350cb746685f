"""Naming a service at /share/ (issue 15): the story step asks, optionally, which service the story is about, with the
directory's names offered as the person types (a <datalist>, no JavaScript). A name from the directory becomes the
contributor's own link when the story is sent; other words wait on the review screen for a moderator to find the
service, and then the link is the contributor's. Contributions adds the question through a hook and never names
services (tests/test_architecture.py)."""

import re

import pytest

from moderation.models import Contribution
from services.models import Responder, Service, ServiceNamedInWords, StoryService
from services.responses import RESPONDERS
from services.wagtail_hooks import COMMISSIONERS
from tests import sharing
from tests.moderators import make_user, moderator, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]


def share(client, service_named: str) -> Contribution:
    fields = sharing.fill_in(client, story=sharing.story_answers(service_named=service_named))
    assert client.post("/share/check/", fields).status_code == 302
    return Contribution.objects.get(idempotency_key=fields["token"])


def test_the_story_step_offers_the_directory_as_you_type_without_javascript(client):
    Service.objects.create(name="Willow Ward", organisation="Northshire NHS Trust")
    Service.objects.create(name="Crisis <line>")
    client.post("/share/", {"method": "write"})
    html = client.get("/share/story/").content.decode()
    box = re.search(r'<input[^>]*name="service_named"[^>]*>', html)[0]
    assert 'list="service-names"' in box
    assert 'aria-describedby="id_service_named_helptext"' in box
    datalist = re.search(r'<datalist id="service-names">(.*?)</datalist>', html, re.S)[1]
    assert re.findall(r'<option value="([^"]*)">', datalist) == ["Crisis &lt;line&gt;", "Willow Ward"]
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_service_from_the_directory_becomes_the_contributors_link_when_the_story_is_sent(client):
    ward = Service.objects.create(name="Willow Ward")
    fields = sharing.fill_in(client, story=sharing.story_answers(service_named="willow ward "))
    check = client.get("/share/check/").content.decode()
    assert "Which service is your story about?" in check and "willow ward" in check  # on the check page, changeable
    assert client.post("/share/check/", fields).status_code == 302
    story = Contribution.objects.get(idempotency_key=fields["token"]).story
    link = StoryService.objects.get(story=story)
    assert (link.service, link.source, link.confirmed) == (ward, StoryService.Source.CONTRIBUTOR, True)
    assert not ServiceNamedInWords.objects.exists()


def test_no_answer_names_nothing_and_a_long_answer_is_refused_kindly_keeping_the_story(client):
    share(client, "")
    assert not StoryService.objects.exists() and not ServiceNamedInWords.objects.exists()

    client.post("/share/", {"method": "write"})
    response = client.post("/share/story/", sharing.story_answers(service_named="x" * 161))
    html = response.content.decode()
    assert response.status_code == 200
    assert "keep the service&#x27;s name to 160 characters" in html
    assert "The first winter was the hardest." in html  # nothing typed is lost


def test_words_not_in_the_directory_wait_on_the_review_screen_and_a_moderator_maps_them(client):
    ward = Service.objects.create(name="Willow Ward", organisation="Northshire NHS Trust")
    contribution = share(client, "the ward at Northshire hospital")
    named = ServiceNamedInWords.objects.get(story=contribution.story)
    assert not StoryService.objects.exists()
    # The contributor sees their words were heard, and waiting to be found.
    key = sharing.story_link(client.get("/share/done/").content.decode()).rstrip("/").rsplit("/", 1)[1]
    private = client.get(f"/my-story/{key}/").content.decode()
    assert "“the ward at Northshire hospital”" in private and "A moderator is finding them" in private

    staff = sign_in(moderator())
    review = staff.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "the ward at Northshire hospital" in review
    assert f'action="/admin/services/named/{named.pk}/"' in review

    # A choice that is no service: a 400 with the words still shown, nothing linked.
    refused = staff.post(f"/admin/services/named/{named.pk}/", {"service": "999999"})
    assert refused.status_code == 400 and "the ward at Northshire hospital" in refused.content.decode()
    assert not StoryService.objects.exists()

    mapped = staff.post(f"/admin/services/named/{named.pk}/", {"service": ward.pk})
    assert mapped.status_code == 302 and mapped["Location"] == f"/admin/moderation/story/{contribution.pk}/"
    link = StoryService.objects.get(story=contribution.story)
    assert (link.service, link.source, link.confirmed) == (ward, StoryService.Source.CONTRIBUTOR, True)
    assert not ServiceNamedInWords.objects.exists()
    review = staff.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "Willow Ward (Northshire NHS Trust): named by the contributor" in review
    private = client.get(f"/my-story/{key}/").content.decode()
    assert "A moderator is finding them" not in private and "<li>Willow Ward</li>" in private


def test_only_someone_who_may_review_the_story_maps_the_words(client):
    """By direct address: a responder for the very service, a commissioner, or nobody signed in cannot map."""
    ward = Service.objects.create(name="Willow Ward")
    contribution = share(client, "the ward")
    named = ServiceNamedInWords.objects.get()
    address = f"/admin/services/named/{named.pk}/"
    ward_responder = Responder.objects.create(user=make_user("ward", RESPONDERS), role="Ward manager")
    ward_responder.services.add(ward)
    for person in (ward_responder.user, make_user("cal", COMMISSIONERS)):
        staff = sign_in(person)
        for answer in (staff.get(address), staff.post(address, {"service": ward.pk})):
            assert answer.status_code == 403 or (answer.status_code == 302 and answer["Location"] == "/admin/")
    assert client.post(address, {"service": ward.pk})["Location"].startswith("/admin/login/")
    assert not StoryService.objects.exists()
    assert ServiceNamedInWords.objects.filter(story=contribution.story).exists()
