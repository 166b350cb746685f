"""Review attacks on the services and collections apps: malformed API parameters, other roles' admin URLs, and
collections holding stories the public may not read. Each answers 4xx or shows nothing private, never a 500."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from curated.models import CollectionStory, StoryCollection
from moderation.expiry import take_off_the_site
from services.commissioning import CommissioningFilter, rows
from services.models import Responder, Response, Service, StoryService
from services.responses import RESPONDERS
from services.wagtail_hooks import COMMISSIONERS
from stories.governance import publishing_under_governance
from tests.factories import ConsentRecordFactory, ContributionFactory
from tests.moderators import make_user, moderator, peer_moderator, sign_in
from tests.public_site import publish_story
from tests.test_services import draft_story, published_response

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999999"


@pytest.mark.parametrize(
    "query",
    [
        f"/api/v2/services/{BIG}/",
        f"/api/v2/responses/{BIG}/",
        f"/api/v2/responses/?id={BIG}",
        f"/api/v2/responses/?story_id={BIG}",
        "/api/v2/responses/?story_id=abc",
        "/api/v2/responses/?service=abc",
        "/api/v2/responses/?service=1",
        f"/api/v2/services/?id={BIG}",
        "/api/v2/services/?kind=nope",
        "/api/v2/responses/?fields=*",
        "/api/v2/responses/?fields=responder,status,decision_note",
        "/api/v2/responses/?fields=story",
        "/api/v2/responses/?order=status",
        "/api/v2/responses/?order=responder",
        "/api/v2/responses/?order=story_id",
        "/api/v2/responses/?status=declined",
        "/api/v2/responses/?responder=1",
        "/api/v2/responses/?decline_code=x",
        f"/api/v2/responses/?limit={BIG}",
        f"/api/v2/responses/?offset={BIG}",
        "/api/v2/responses/?search=hear",
        "/api/v2/services/?search=ward",
        "/api/v2/responses/?published_at=x",
        "/api/v2/services/?fields=*,-name",
        "/api/v2/responses/?fields=_,id",
    ],
)
def test_malformed_or_private_api_queries_are_refused_or_empty_never_a_500(client, story_index, query):
    ward = Service.objects.create(name="Willow Ward")
    story = publish_story(story_index, "Nights on the ward")
    StoryService.objects.create(story=story, service=ward, source=StoryService.Source.CONTRIBUTOR)
    published_response(story, ward)
    Response.objects.create(story=story, service=ward, role="Ward manager", body="Declined words.", status="declined")
    response = client.get(query)
    assert response.status_code in (200, 400, 404), (query, response.status_code, response.content[:300])
    assert b"Declined words." not in response.content
    if response.status_code == 200:  # a 400 names the unknown fields asked for, and nothing of any response
        assert b"decision_note" not in response.content and b'"responder"' not in response.content


def test_a_collection_holding_a_withdrawn_story_shows_and_packs_nothing_of_it(client, story_index):
    shown = publish_story(story_index, "Still here")
    gone = publish_story(story_index, "Gone from the site")
    collection = StoryCollection.objects.create(title="Ward visit", slug="ward-visit", introduction="For a visit.")
    for story in (shown, gone):
        CollectionStory.objects.create(collection=collection, story=story)
    take_off_the_site(gone)
    for url in ("/collections/ward-visit/", "/embed/collections/ward-visit/"):
        page = client.get(url)
        assert page.status_code == 200 and b"Still here" in page.content and b"Gone from the site" not in page.content
    pack = b"".join(client.get("/collections/ward-visit/training-pack.zip").streaming_content)
    names = zipfile.ZipFile(io.BytesIO(pack)).namelist()
    assert not [name for name in names if "gone" in name]
    readme = zipfile.ZipFile(io.BytesIO(pack)).read("README.txt")
    assert b"Gone from the site" not in readme


@pytest.mark.parametrize("role", ["responder", "commissioner", "peer"])
def test_other_roles_cannot_reach_responses_or_snippets_they_do_not_keep(story_index, role):
    ward = Service.objects.create(name="Willow Ward")
    story = publish_story(story_index, "Nights on the ward")
    draft = publish_story(story_index, "Other")
    StoryService.objects.create(story=story, service=ward, source=StoryService.Source.CONTRIBUTOR)
    response = published_response(story, ward)
    user = {
        "responder": lambda: make_user("rhi", RESPONDERS),
        "commissioner": lambda: make_user("cam", COMMISSIONERS),
        "peer": lambda: peer_moderator(),
    }[role]()
    if role == "responder":
        Responder.objects.create(user=user, role="Lead").services.set([ward])
    client = sign_in(user)
    urls = [
        f"/admin/services/responses/{response.pk}/take-down/",
        "/admin/snippets/services/service/add/",
        f"/admin/snippets/services/service/edit/{ward.pk}/",
        f"/admin/snippets/services/service/delete/{ward.pk}/",
        f"/admin/snippets/services/service/history/{ward.pk}/",
        "/admin/story_services/",
        "/admin/story_services/new/",
        "/admin/responders/",
        "/admin/responders/new/",
        f"/admin/services/stories/{draft.pk}/",
        f"/admin/services/stories/{BIG}/",
        f"/admin/services/named/{BIG}/",
        f"/admin/services/responses/{BIG}/decide/",
    ]
    if role != "peer":
        urls += [
            "/admin/snippets/curated/storycollection/",
            "/admin/snippets/curated/storycollection/add/",
            "/admin/services/responses/",
        ]
    for url in urls:
        got = client.get(url)
        assert got.status_code in (302, 403, 404, 405), (role, url, got.status_code)
    for url in (
        f"/admin/services/responses/{response.pk}/take-down/",
        f"/admin/services/responses/{response.pk}/decide/",
    ):
        got = client.post(url, {"code": "x", "note": "y", f"r{response.pk}-decision": "decline"})
        assert got.status_code in (302, 403, 404, 405), (role, url, got.status_code)
    client.post(f"/admin/bulk/services/service/delete/?id={ward.pk}")
    client.post(f"/admin/snippets/services/service/delete/{ward.pk}/")
    assert Service.objects.filter(pk=ward.pk).exists()
    response.refresh_from_db()
    assert response.status == Response.Status.PUBLISHED
    story.refresh_from_db()
    assert story.live


@pytest.mark.parametrize("role", ["responder", "commissioner"])
def test_a_responder_or_commissioner_finds_no_story_titles_in_the_admin_choosers(story_index, role):
    ward = Service.objects.create(name="Willow Ward")
    draft_story(story_index, "A draft nobody outside moderation reads")
    user = make_user("someone", RESPONDERS if role == "responder" else COMMISSIONERS)
    if role == "responder":
        Responder.objects.create(user=user, role="Lead").services.set([ward])
    client = sign_in(user)
    for url in (
        "/admin/choosers/page/",
        f"/admin/choosers/page/{story_index.pk}/",
        "/admin/choosers/page/search/?q=draft",
        "/admin/pages/search/?q=draft",
        f"/admin/pages/{story_index.pk}/",
        "/admin/snippets/curated/storycollection/chooser/",
        "/admin/reports/site-history/",
        "/admin/reports/site-history/results/",
        "/admin/reports/aging-pages/",
        "/admin/reports/locked/",
        "/admin/reports/workflow/",
        "/admin/pages/",
        "/admin/snippets/services/service/",
        f"/admin/bulk/services/service/delete/?id={ward.pk}",
        f"/admin/bulk/curated/storycollection/delete/?id={ward.pk}",
    ):
        got = client.get(url)
        assert got.status_code in (200, 302, 403, 404), (url, got.status_code)
        assert b"A draft nobody outside moderation reads" not in got.content, url


def test_moderators_get_not_found_for_ids_past_64_bits_in_admin_urls(story_index):
    client = sign_in(moderator())
    for url in (
        f"/admin/services/named/{BIG}/",
        f"/admin/services/responses/{BIG}/take-down/",
        f"/admin/snippets/services/service/edit/{BIG}/",
        f"/admin/snippets/curated/storycollection/edit/{BIG}/",
        f"/admin/snippets/curated/storycollection/history/{BIG}/",
        f"/admin/story_services/edit/{BIG}/",
        f"/admin/responders/edit/{BIG}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/admin/services/responses/{BIG}/decide/", f"/admin/services/replies/{BIG}/decide/"):
        assert client.post(url, {}).status_code == 404, url


def test_oembed_of_a_collection_names_only_the_collection(client, story_index):
    gone = publish_story(story_index, "Gone from the site")
    collection = StoryCollection.objects.create(title="Ward visit", slug="ward-visit", introduction="For a visit.")
    CollectionStory.objects.create(collection=collection, story=gone)
    take_off_the_site(gone)
    for url in ("http://testserver/collections/ward-visit/", "http://testserver/collections/nope/", "x" * 3000):
        got = client.get("/oembed/", {"url": url, "format": "json"})
        assert got.status_code in (200, 404, 400), (url, got.status_code)
        assert b"Gone from the site" not in got.content


def test_a_reply_to_a_response_past_64_bits_is_not_found(client):
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution)
    with publishing_under_governance():
        contribution.story.save_revision().publish()
    url = f"/my-story/{contribution.key}/services/reply/{BIG}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Hello"}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?published_to=9999-12-31",
        "?published_to=9999-12-31&format=csv",
        "?published_from=0001-01-01",
        "?published_from=10000-01-01",
        "?published_from=x&format=csv",
        "?kind=nope",
        "?area=" + "a" * 500,
    ],
)
def test_malformed_commissioning_filters_are_a_400_or_figures_never_a_500(story_index, query):
    Service.objects.create(name="Willow Ward")
    client = sign_in(make_user("cam", COMMISSIONERS))
    assert client.get(f"/admin/services/figures/{query}").status_code in (200, 400), query


def test_a_period_of_one_day_counts_the_stories_published_that_day_in_the_sites_time_zone(story_index):
    ward = Service.objects.create(name="Willow Ward")
    StoryService.objects.create(story=publish_story(story_index, "Today"), service=ward, source="contributor")
    today = timezone.localdate()
    day = {"published_from": today, "published_to": today}
    assert [row.figures.stories for row in rows(CommissioningFilter(day))] == [1]
    before = {"published_to": today - timedelta(days=1)}
    assert [row.figures.stories for row in rows(CommissioningFilter(before))] == [0]
    reaching_the_end = {"published_from": today, "published_to": "9999-12-31"}
    assert [row.figures.stories for row in rows(CommissioningFilter(reaching_the_end))] == [1]


def test_a_researchers_only_story_shows_nowhere_in_public_services_or_collections(client, story_index):
    ward = Service.objects.create(name="Willow Ward")
    narrowed = publish_story(story_index, "For researchers only")
    StoryService.objects.create(story=narrowed, service=ward, source=StoryService.Source.CONTRIBUTOR)
    published_response(narrowed, ward, body="A reply under a narrowed story.")
    collection = StoryCollection.objects.create(title="Ward visit", slug="ward-visit", introduction="For a visit.")
    CollectionStory.objects.create(collection=collection, story=narrowed)
    PageViewRestriction.objects.create(page=narrowed, restriction_type=PageViewRestriction.GROUPS)
    for url in (
        "/services/willow-ward/",
        "/services/willow-ward/?page=99999999999999999999",
        "/services/willow-ward/?page=abc",
        "/feeds/services/willow-ward/",
        "/api/v2/responses/",
        f"/api/v2/responses/?story_id={narrowed.pk}",
        "/collections/ward-visit/",
        "/embed/collections/ward-visit/",
    ):
        got = client.get(url)
        assert got.status_code in (200, 404), (url, got.status_code)
        assert b"For researchers only" not in got.content and b"A reply under a narrowed story." not in got.content
    pack = b"".join(client.get("/collections/ward-visit/training-pack.zip").streaming_content)
    assert zipfile.ZipFile(io.BytesIO(pack)).namelist() == ["README.txt"]
    assert client.get("/feeds/services/nobody/").status_code == 404


def test_a_moderator_moving_a_confirmed_link_to_another_story_or_service_makes_it_a_proposal(client, story_index):
    ward, crisis = Service.objects.create(name="Willow Ward"), Service.objects.create(name="Crisis line")
    named, other = publish_story(story_index, "Named by its teller"), publish_story(story_index, "Never named")
    link = StoryService.objects.create(story=named, service=ward, source=StoryService.Source.CONTRIBUTOR)
    staff = sign_in(moderator())
    edit = f"/admin/story_services/edit/{link.pk}/"
    assert staff.post(edit, {"story": other.pk, "service": ward.pk}).status_code == 302
    link.refresh_from_db()
    assert (link.story_id, link.confirmed, link.source) == (other.pk, False, StoryService.Source.MODERATOR)
    assert b"Never named" not in client.get("/services/willow-ward/").content
    confirmed = StoryService.objects.create(story=named, service=crisis, source=StoryService.Source.CONTRIBUTOR)
    staff.post(f"/admin/story_services/edit/{confirmed.pk}/", {"story": named.pk, "service": ward.pk})
    confirmed.refresh_from_db()
    assert (confirmed.service_id, confirmed.confirmed) == (ward.pk, False)
    # Saved as it stood, a link stays the contributor's own naming.
    kept = StoryService.objects.create(story=other, service=crisis, source=StoryService.Source.CONTRIBUTOR)
    staff.post(f"/admin/story_services/edit/{kept.pk}/", {"story": other.pk, "service": crisis.pk})
    kept.refresh_from_db()
    assert (kept.confirmed, kept.source) == (True, StoryService.Source.CONTRIBUTOR)


def test_an_offset_past_the_end_is_a_400_naming_what_was_listed(client):
    for listing, named in (("services", "service"), ("responses", "response")):
        response = client.get(f"/api/v2/{listing}/?offset={BIG}")
        assert response.status_code == 400 and response.json()["message"] == f"offset is past the last {named}"
