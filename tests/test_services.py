"""People with power listen, after publication (issue 15): the services directory, responders who see only published
stories about their own services, and public responses that pass the same policy, audit and report as stories.

Nothing here runs before publication: a responder cannot open a draft, another service's story, any private record
or a moderator's screen, is alerted only when a story is published, and no response path changes a story's status."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from wagtail.models import PageViewRestriction

from demo import services as demo_services
from moderation import policy, roles, workflows
from moderation.expiry import take_off_the_site
from moderation.models import AuditEvent, StoryStatus
from moderation.report import build_report
from services.models import Responder, Response, ResponsePreference, ResponseReply, Service, StoryService
from services.responses import RESPONDERS
from services.wagtail_hooks import COMMISSIONERS
from stories.governance import publishing_under_governance
from stories.models import StoryPage, Theme
from tests.factories import ConsentRecordFactory, ContributionFactory, site_tree
from tests.moderators import action_url, make_user, moderator, peer_moderator, sign_in
from tests.public_site import publish_story
from tests.workers import run_queue

pytestmark = pytest.mark.django_db

WARD = {"name": "Willow Ward", "organisation": "Northshire NHS Trust", "area": "Northshire", "kind": "inpatient"}


def about(story, service, source=StoryService.Source.CONTRIBUTOR) -> StoryService:
    return StoryService.objects.create(story=story, service=service, source=source)


def responder(username: str, *services: Service, role: str = "Ward manager") -> Responder:
    person = Responder.objects.create(user=make_user(username, RESPONDERS), role=role)
    person.services.set(services)
    return person


def draft_story(index, title: str) -> StoryPage:
    story = StoryPage(title=title, body=[("paragraph", "Words not yet published.")], live=False)
    index.add_child(instance=story)
    return story


def respond(client, story, service, **fields):
    data = {"service": service.pk, "kind": "response", "body": "Thank you for telling us.", "change": "", **fields}
    return client.post(f"/admin/services/stories/{story.pk}/", data)


def decide(client, item, **fields):
    """A moderator's decision on a service's response, or on the contributor's reply to one."""
    where, prefix = ("responses", "r") if isinstance(item, Response) else ("replies", "c")
    data = {f"{prefix}{item.pk}-{name}": value for name, value in fields.items()}
    return client.post(f"/admin/services/{where}/{item.pk}/decide/", data)


def refused(response) -> bool:
    """The admin refuses what a user may not do: Wagtail sends them to the dashboard with a message (or a 403)."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def report_row(client, key: str) -> list[str]:
    html = client.get("/moderation/report/").content.decode()
    cells = re.search(rf'<tr data-row="{key}"[^>]*>.*?</tr>', html, re.S).group(0)
    return re.findall(r"<td>([^<]*)</td>", cells)


def test_a_service_page_lists_its_published_confirmed_stories_and_figures(client, story_index):
    ward, other = Service.objects.create(**WARD), Service.objects.create(name="Crisis line")
    named = publish_story(story_index, "Nights on the ward", body=("It was loud.",))
    proposed = publish_story(story_index, "A proposal only", body=("Maybe about the ward.",))
    draft = draft_story(story_index, "Not yet published")
    about(named, ward)
    about(proposed, ward, StoryService.Source.MODERATOR)  # the contributor has not confirmed it
    about(draft, ward)
    about(publish_story(story_index, "About the crisis line"), other)

    index = client.get("/services/").content.decode()
    assert "Willow Ward" in index and "/services/willow-ward/" in index and "Crisis line" in index
    page = client.get("/services/willow-ward/").content.decode()
    assert "Nights on the ward" in page
    assert "A proposal only" not in page and "Not yet published" not in page and "About the crisis line" not in page
    assert "Northshire NHS Trust" in page and "No responses yet" in page
    assert client.get("/services/nowhere/").status_code == 404


def test_a_moderator_links_only_a_published_story_and_only_as_a_proposal():
    index = site_tree()[1]
    ward = Service.objects.create(**WARD)
    published, draft = publish_story(index, "Published one"), draft_story(index, "Draft title, private")
    staff = sign_in(moderator())
    form = staff.get("/admin/story_services/new/").content.decode()
    assert "Published one" in form and "Draft title, private" not in form
    refused = staff.post("/admin/story_services/new/", {"story": draft.pk, "service": ward.pk})
    assert refused.status_code == 200 and not StoryService.objects.exists()
    staff.post("/admin/story_services/new/", {"story": published.pk, "service": ward.pk, "source": "contributor"})
    link = StoryService.objects.get()
    assert (link.source, link.confirmed) == (StoryService.Source.MODERATOR, False)
    # A proposal is not public: the story is not on the service's page.
    assert "Published one" not in staff.get("/services/willow-ward/").content.decode()


def test_staff_invite_a_responder_who_joins_the_responders_group():
    ward = Service.objects.create(**WARD)
    staff = sign_in(moderator())
    response = staff.post(
        "/admin/responders/new/",
        {"email": "Lead@Trust.example", "role": "Patient experience lead", "services": [ward.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    invited = Responder.objects.get()
    assert invited.user.email == "lead@trust.example" and not invited.user.has_usable_password()
    assert invited.user.groups.filter(name=RESPONDERS).exists() and list(invited.services.all()) == [ward]
    assert invited.user.has_perm("services.respond_to_stories") and not roles.can_review(invited.user)
    again = staff.post("/admin/responders/new/", {"email": "lead@trust.example", "role": "x", "services": [ward.pk]})
    assert again.status_code == 200 and Responder.objects.count() == 1
    # An address that is already someone's account (here a moderator's) is refused, not quietly made a responder.
    colleague = moderator("colleague@trust.example")
    refused = staff.post(
        "/admin/responders/new/", {"email": "Colleague@trust.example", "role": "x", "services": [ward.pk]}
    )
    assert refused.status_code == 200 and "already has an account" in refused.content.decode()
    assert not colleague.groups.filter(name=RESPONDERS).exists() and Responder.objects.count() == 1
    granted = roles.group_permissions()
    assert granted[RESPONDERS] == {"wagtailadmin.access_admin", "services.respond_to_stories"}
    assert Group.objects.get(name=RESPONDERS).permissions.count() == 2


def test_a_responder_sees_only_published_stories_about_their_own_service(story_index):
    ward, other = Service.objects.create(**WARD), Service.objects.create(name="Crisis line")
    mine = publish_story(story_index, "About the ward", body=("The ward, in my words.",))
    theirs = publish_story(story_index, "About the crisis line")
    proposal = publish_story(story_index, "Proposed, not confirmed")
    draft = draft_story(story_index, "A draft about the ward")
    researchers_only = publish_story(story_index, "For researchers only")
    PageViewRestriction.objects.create(page=researchers_only, restriction_type=PageViewRestriction.GROUPS)
    for story in (mine, draft, researchers_only):
        about(story, ward)
    about(theirs, other)
    about(proposal, ward, StoryService.Source.MODERATOR)
    client = sign_in(responder("rhi", ward).user)

    listing = client.get("/admin/services/stories/").content.decode()
    assert "About the ward" in listing
    for hidden in (
        "About the crisis line",
        "Proposed, not confirmed",
        "A draft about the ward",
        "For researchers only",
    ):
        assert hidden not in listing
    assert "The ward, in my words." in client.get(f"/admin/services/stories/{mine.pk}/").content.decode()
    for story in (theirs, proposal, draft, researchers_only):
        assert client.get(f"/admin/services/stories/{story.pk}/").status_code == 404
        assert respond(client, story, ward).status_code == 404
    assert not Response.objects.exists()


def test_a_responder_reaches_no_private_data_nor_any_moderator_screen(story_index):
    ward = Service.objects.create(**WARD)
    contribution = ContributionFactory(email="sam@example.org")
    ConsentRecordFactory(contribution=contribution)
    workflows.start_moderation(contribution)
    about(contribution.story, ward)
    client = sign_in(responder("rhi", ward).user)
    story_id = contribution.story_id
    for url in (
        "/admin/moderation/queue/",
        f"/admin/moderation/story/{contribution.pk}/",
        f"/admin/pages/{story_id}/edit/",
        f"/admin/pages/{story_id}/revisions/",
        f"/admin/pages/{story_id}/",
        "/admin/services/responses/",
        "/admin/story_services/",
        "/admin/responders/",
        "/admin/snippets/services/service/add/",
        "/admin/users/",
        "/admin/research/stories/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert (
            "sam@example.org" not in response.content.decode()
            and contribution.story.title not in response.content.decode()
        )
    # Nor can a responder move a story through the workflow, by any action URL.
    for action in ("publish", "propose_decline", "pause"):
        assert client.post(action_url(contribution, action)).status_code in (302, 403, 404)
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.IN_MODERATION


def test_responders_are_alerted_with_title_and_link_only_when_a_story_is_published(django_capture_on_commit_callbacks):
    site_tree()
    ward = Service.objects.create(**WARD)
    responder("rhi", ward)
    responder("cal", Service.objects.create(name="Crisis line"))
    contribution = ContributionFactory(email="sam@example.org")
    ConsentRecordFactory(contribution=contribution)
    about(contribution.story, ward)
    workflows.start_moderation(contribution)
    assert not mail.outbox  # in moderation: nobody outside it hears a word
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(moderator("first")).post(action_url(contribution, "publish"))
    mail.outbox.clear()  # the contributor's own emails
    run_queue("publication")  # runs what the publication does once it commits, as the worker does
    story = contribution.story.specific
    alerts = [m for m in mail.outbox if m.to == ["rhi@voicebox.example"]]
    assert len(alerts) == 1 and not [m for m in mail.outbox if m.to == ["cal@voicebox.example"]]
    body = alerts[0].body
    assert story.title in body and story.url in body
    assert all(paragraph not in body for paragraph in story.paragraphs)
    assert "sam@example.org" not in body


def test_a_response_is_checked_under_the_policy_and_shown_with_the_service_and_role(client, story_index):
    ward = Service.objects.create(**WARD)
    story = publish_story(story_index, "Nights on the ward", body=("It was loud.",))
    about(story, ward)
    person = responder("rhi", ward, role="Ward manager")
    person.user.first_name, person.user.last_name = "Rhiannon", "Pryce"
    person.user.save()
    responder_client = sign_in(person.user)

    needs_a_sentence = respond(responder_client, story, ward, kind="change_made")
    assert needs_a_sentence.status_code == 200 and "what is changing" in needs_a_sentence.content.decode()
    assert (
        respond(responder_client, story, ward, kind="change_made", change="Quiet hours from 10pm.").status_code == 302
    )
    response = Response.objects.get()
    assert response.status == Response.Status.PENDING
    assert "Quiet hours" not in client.get(story.url).content.decode()  # nothing public before a moderator's check

    # Only reviewers decide, and only for a reason on the policy when declining.
    assert refused(decide(responder_client, response, decision="publish"))
    staff = sign_in(moderator())
    assert "Quiet hours from 10pm." in staff.get("/admin/services/responses/").content.decode()
    assert decide(staff, response, decision="decline").status_code == 400
    assert decide(staff, response, decision="decline", code="criticises_services").status_code == 400
    assert decide(staff, response, decision="publish").status_code == 302

    page = client.get(story.url).content.decode()
    assert "Responses from services" in page and "Willow Ward" in page and "Ward manager" in page
    assert "A change was made" in page and "Quiet hours from 10pm." in page and "Thank you for telling us." in page
    assert "Rhiannon" not in page and "Pryce" not in page and "rhi@" not in page
    service_page = client.get("/services/willow-ward/").content.decode()
    assert "Quiet hours from 10pm." in service_page and "100%" in service_page

    actions = list(AuditEvent.objects.filter(story_ref=story.pk).values_list("action", "actor_role"))
    assert ("response_sent", "responder") in actions and ("response_published", "moderator") in actions
    assert ("change_recorded", "responder") in actions
    story.refresh_from_db()
    assert story.live and not story.has_unpublished_changes
    figures = build_report().all_stories.steps
    assert figures[AuditEvent.Action.RESPONSE_PUBLISHED] == 1 and figures[AuditEvent.Action.CHANGE_RECORDED] == 1
    assert report_row(client, "response_published")[0] == "1"

    # A second response, declined under the policy, is counted with its reason and never shown.
    respond(responder_client, story, ward, body="Here is the nurse's name and number.")
    second = Response.objects.latest("pk")
    assert (
        decide(staff, second, decision="decline", code="not_personal_account", note="Not a response.").status_code
        == 302
    )
    assert AuditEvent.objects.filter(action="response_declined", policy_code="not_personal_account").count() == 1
    assert "nurse's name" not in client.get(story.url).content.decode()
    assert decide(staff, second, decision="publish").status_code == 404  # decided once


def test_a_contributor_who_opts_out_gets_no_responses(story_index):
    ward = Service.objects.create(**WARD)
    story = publish_story(story_index, "Please just listen")
    about(story, ward)
    ResponsePreference.objects.create(story=story, responses_allowed=False)
    client = sign_in(responder("rhi", ward).user)
    assert "asked for no responses" in client.get(f"/admin/services/stories/{story.pk}/").content.decode()
    assert refused(respond(client, story, ward))
    assert not Response.objects.exists()


def test_a_story_taken_off_the_site_takes_its_responses_with_it(client, story_index):
    ward = Service.objects.create(**WARD)
    story = publish_story(story_index, "Nights on the ward")
    about(story, ward)
    person = responder("rhi", ward)
    Response.objects.create(
        story=story,
        service=ward,
        responder=person,
        role="Ward manager",
        body="Sorry.",
        status=Response.Status.PUBLISHED,
    )
    take_off_the_site(story)
    assert not Response.objects.exists()
    assert client.get("/services/willow-ward/").status_code == 200
    assert "Sorry." not in client.get("/services/willow-ward/").content.decode()
    # And a responder cannot respond to it any more.
    assert respond(sign_in(person.user), story, ward).status_code == 404


def published_response(story, service, body="We hear you.", **fields) -> Response:
    return Response.objects.create(
        story=story,
        service=service,
        role="Ward manager",
        body=body,
        status=Response.Status.PUBLISHED,
        published_at=timezone.now(),
        **fields,
    )


def test_the_api_serves_services_and_published_responses_only(client, story_index):
    ward = Service.objects.create(**WARD)
    story = publish_story(story_index, "Nights on the ward")
    about(story, ward)
    person = responder("rhi", ward)
    published_response(story, ward, responder=person, kind="change_planned", change="A quiet-hours rota.")
    Response.objects.create(story=story, service=ward, responder=person, role="Ward manager", body="Still pending.")
    services = client.get("/api/v2/services/").json()
    assert [item["slug"] for item in services["items"]] == ["willow-ward"]
    detail = client.get(f"/api/v2/services/{ward.pk}/").json()
    assert detail["organisation"] == "Northshire NHS Trust" and detail["area"] == "Northshire"
    responses = client.get("/api/v2/responses/").json()["items"]
    assert len(responses) == 1
    item = responses[0]
    assert (item["story_id"], item["service"], item["role"], item["kind"]) == (
        story.pk,
        "willow-ward",
        "Ward manager",
        "change_planned",
    )
    assert "responder" not in item and "Still pending." not in str(responses) and "rhi" not in str(responses)
    take_off_the_site(story)
    assert client.get("/api/v2/responses/").json()["items"] == []


def test_each_service_has_a_feed_of_its_published_stories(client, story_index):
    ward = Service.objects.create(**WARD)
    about(publish_story(story_index, "Nights on the ward"), ward)
    about(draft_story(story_index, "A draft about the ward"), ward)
    feed = client.get("/feeds/services/willow-ward/")
    assert feed.status_code == 200
    text = feed.content.decode()
    assert "Voicebox stories about Willow Ward" in text and "Nights on the ward" in text
    assert "A draft about the ward" not in text
    assert client.get("/feeds/services/nowhere/").status_code == 404
    assert "/feeds/services/willow-ward/" in client.get("/services/willow-ward/").content.decode()


def test_the_demo_has_a_service_a_responder_and_a_recorded_change(client, story_index):
    story = publish_story(story_index, "Nobody asked what I wanted")
    assert story.slug == demo_services.RESPONDED_STORY
    service = demo_services.ensure_demo_service()
    demo_services.ensure_demo_service()  # again: nothing is added twice
    assert Response.objects.count() == 1 and Responder.objects.count() == 1
    responder_user = Responder.objects.get().user
    assert responder_user.groups.filter(name=RESPONDERS).exists() and not responder_user.has_usable_password()
    page = client.get(story.url).content.decode()
    assert service.name in page and demo_services.CHANGE in page and "A change was made" in page
    assert "100%" in client.get(f"/services/{service.slug}/").content.decode()
    assert build_report().all_stories.steps[AuditEvent.Action.CHANGE_RECORDED] == 1


def test_the_contributor_confirms_a_proposed_service_and_may_refuse_responses(
    client, django_capture_on_commit_callbacks
):
    ward, other = Service.objects.create(**WARD), Service.objects.create(name="Crisis line")
    responder("rhi", ward)
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution)
    story = contribution.story
    private = f"/my-story/{contribution.key}/"
    assert "A moderator thinks" not in client.get(private).content.decode()  # none named or proposed yet
    proposal = about(story, ward, StoryService.Source.MODERATOR)
    wrong = about(story, other, StoryService.Source.MODERATOR)
    page = client.get(private).content.decode()
    assert "A moderator thinks your story may be about <strong>Willow Ward</strong>" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{private}services/", {"confirm": proposal.pk}).status_code == 302
    assert not mail.outbox  # a draft: no service hears of it before publication
    assert client.post(f"{private}services/", {"not_about": wrong.pk}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.confirmed and not StoryService.objects.filter(pk=wrong.pk).exists()
    client.post(f"{private}services/", {"responses": "none"})
    assert not ResponsePreference.objects.get(story=story).responses_allowed
    assert "You asked for no responses to your story." in client.get(private).content.decode()
    # Another story's key cannot touch this story's links; an unknown key is not found.
    someone_else = ContributionFactory()
    client.post(f"/my-story/{someone_else.key}/services/", {"confirm": proposal.pk, "responses": "allow"})
    assert not ResponsePreference.objects.get(story=story).responses_allowed
    assert client.post("/my-story/" + "x" * 43 + "/services/", {"responses": "allow"}).status_code == 404


def test_the_contributor_replies_to_a_change_and_the_reply_is_published_under_the_policy(client):
    ward = Service.objects.create(**WARD)
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution)
    story = contribution.story
    with publishing_under_governance():
        story.save_revision().publish()
    about(story, ward)
    response = published_response(story, ward, kind="change_made", change="A quiet-hours rota from 10pm.")
    private = f"/my-story/{contribution.key}/"
    page = client.get(private).content.decode()
    assert "A quiet-hours rota from 10pm." in page and f"services/reply/{response.pk}/" in page

    reply_url = f"{private}services/reply/{response.pk}/"
    empty = client.post(reply_url, {"body": "", "experience": ""})
    assert empty.status_code == 400 and "Please write a reply" in empty.content.decode()
    typed = client.post(reply_url, {"body": "x" * 4001})
    assert typed.status_code == 400 and "x" * 4001 in typed.content.decode()  # nothing typed is lost
    sent = client.post(reply_url, {"body": "Nights are quieter now.", "experience": "partly"})
    assert sent.status_code == 302 and sent["Location"] == private
    reply = ResponseReply.objects.get()
    assert reply.status == Response.Status.PENDING
    assert client.get(reply_url).status_code == 404  # one reply to each response
    assert "You replied." in client.get(private).content.decode()
    assert "Nights are quieter now." not in client.get(story.url).content.decode()

    staff = sign_in(moderator())
    assert "Nights are quieter now." in staff.get("/admin/services/responses/").content.decode()
    assert decide(staff, reply, decision="decline").status_code == 400
    assert decide(staff, reply, decision="publish").status_code == 302
    public = client.get(story.url).content.decode()
    assert "The person who shared the story replied" in public and "Nights are quieter now." in public
    assert "This partly matches my experience." in public
    actions = set(AuditEvent.objects.filter(story_ref=story.pk).values_list("action", "actor_role"))
    assert {("reply_sent", "contributor"), ("reply_published", "moderator")} <= actions
    assert build_report().all_stories.steps[AuditEvent.Action.REPLY_PUBLISHED] == 1

    # Another story's key cannot reply to this response.
    assert client.get(f"/my-story/{ContributionFactory().key}/services/reply/{response.pk}/").status_code == 404


def test_commissioners_see_figures_by_service_area_and_period_without_any_words(story_index):
    ward = Service.objects.create(**WARD)
    crisis = Service.objects.create(name="Crisis line", area="Southshire", kind="crisis")
    sectioned = Theme.objects.create(name="Being sectioned")
    sleep = publish_story(
        story_index, "Nights on the ward", body=("The unique words of a story.",), themes=(sectioned,)
    )
    about(sleep, ward)
    about(publish_story(story_index, "About the crisis line"), crisis)
    published_response(sleep, ward, kind="change_made", change="A quiet-hours rota.")
    commissioner = sign_in(make_user("kim", COMMISSIONERS))

    page = commissioner.get("/admin/services/figures/").content.decode()
    assert "Willow Ward" in page and "Crisis line" in page and "Being sectioned" in page
    only_north = commissioner.get("/admin/services/figures/", {"area": "north"}).content.decode()
    assert "Willow Ward" in only_north and "Crisis line" not in only_north
    export = commissioner.get("/admin/services/figures/", {"area": "north", "format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode().splitlines()
    assert lines[0].startswith("Service,Organisation,Area,Kind,Published stories")
    assert lines[1].startswith("Willow Ward,Northshire NHS Trust,Northshire,Inpatient ward,1,1,100,")
    assert lines[1].endswith(",1,Being sectioned")
    assert "Nights on the ward" not in export.content.decode() and "unique words" not in export.content.decode()
    future = commissioner.get(
        "/admin/services/figures/", {"area": "north", "published_from": "2999-01-01", "format": "csv"}
    )
    assert (
        future.content.decode()
        .splitlines()[1]
        .startswith("Willow Ward,Northshire NHS Trust,Northshire,Inpatient ward,0,0,,")
    )
    backwards = commissioner.get(
        "/admin/services/figures/", {"published_from": "2026-02-01", "published_to": "2026-01-01"}
    )
    assert backwards.status_code == 400 and "before its start" in backwards.content.decode()
    assert refused(sign_in(responder("rhi", ward).user).get("/admin/services/figures/"))


def test_confirming_a_service_for_a_published_story_alerts_its_responders(client, django_capture_on_commit_callbacks):
    ward = Service.objects.create(**WARD)
    responder("rhi", ward)
    responder("cal", Service.objects.create(name="Crisis line"))
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution)
    with publishing_under_governance():
        contribution.story.save_revision().publish()
    proposal = about(contribution.story, ward, StoryService.Source.MODERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-story/{contribution.key}/services/", {"confirm": proposal.pk})
        client.post(f"/my-story/{contribution.key}/services/", {"confirm": proposal.pk})  # once is enough
    assert [message.to for message in mail.outbox] == [["rhi@voicebox.example"]]
    assert contribution.story.title in mail.outbox[0].body


def test_the_contributor_names_a_service_from_the_directory_on_their_private_page(
    client, django_capture_on_commit_callbacks
):
    ward = Service.objects.create(**WARD)
    responder("rhi", ward)
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution)
    name_url = f"/my-story/{contribution.key}/services/name/"
    private = client.get(f"/my-story/{contribution.key}/").content.decode()
    assert "Name a service your story is about" in private and name_url in private
    form = client.get(name_url).content.decode()
    assert '<option value="Willow Ward"></option>' in form and 'list="service-names"' in form
    unknown = client.post(name_url, {"service": "Wilow Ward"})
    assert unknown.status_code == 400 and "could not find a service" in unknown.content.decode()
    assert 'value="Wilow Ward"' in unknown.content.decode()  # what they typed stays
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(name_url, {"service": "willow ward"}).status_code == 302
    link = StoryService.objects.get()
    assert (link.service, link.source, link.confirmed) == (ward, StoryService.Source.CONTRIBUTOR, True)
    assert not mail.outbox  # still a draft: nobody hears of it before publication


def test_a_responder_may_choose_to_show_their_name_with_a_response(client, story_index):
    ward = Service.objects.create(**WARD)
    story = publish_story(story_index, "Nights on the ward", body=("It was loud.",))
    about(story, ward)
    nameless = sign_in(responder("nameless", ward, role="Matron").user)
    assert "Show my name" not in nameless.get(f"/admin/services/stories/{story.pk}/").content.decode()
    person = responder("rhi", ward, role="Ward manager")
    person.user.first_name, person.user.last_name = "Rhiannon", "Pryce"
    person.user.save()
    responder_client = sign_in(person.user)
    form = responder_client.get(f"/admin/services/stories/{story.pk}/").content.decode()
    assert (
        "Show my name, Rhiannon Pryce, with this response" in form and "checked" not in form.split("show_name")[1][:80]
    )

    assert respond(responder_client, story, ward, body="I am sorry.", show_name="on").status_code == 302
    response = Response.objects.get()
    assert response.name == "Rhiannon Pryce"
    staff = sign_in(moderator())
    assert "(Rhiannon Pryce, Ward manager)" in staff.get("/admin/services/responses/").content.decode()
    decide(staff, response, decision="publish")
    assert "Rhiannon Pryce, Ward manager, Willow Ward" in client.get(story.url).content.decode()
    assert client.get("/api/v2/responses/").json()["items"][0]["name"] == "Rhiannon Pryce"


def test_staff_take_a_published_response_down_under_the_policy_and_the_report_counts_it(
    client, story_index, django_capture_on_commit_callbacks
):
    ward = Service.objects.create(**WARD)
    story = publish_story(story_index, "Nights on the ward", body=("It was loud.",))
    about(story, ward)
    person = responder("rhi", ward)
    response = published_response(story, ward, body="Call me on my mobile.", responder=person)
    address = f"/admin/services/responses/{response.pk}/take-down/"
    assert "Call me on my mobile." in client.get(story.url).content.decode()

    # By direct address: not the responder, a peer moderator or a commissioner; nobody signed out.
    for user in (person.user, peer_moderator(), make_user("cal", COMMISSIONERS)):
        other = sign_in(user)
        assert refused(other.get(address))
        assert refused(other.post(address, {"code": "not_personal_account"}))
    assert client.post(address, {"code": "not_personal_account"})["Location"].startswith("/admin/login/")
    assert Response.objects.get().status == Response.Status.PUBLISHED

    contribution = ContributionFactory(story=story, status=StoryStatus.PUBLISHED)
    staff = sign_in(moderator())
    review = staff.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert f'href="{address}"' in review
    no_reason = staff.post(address, {"code": "", "note": "Personal details."})
    assert no_reason.status_code == 400 and "only for a reason on the published policy" in no_reason.content.decode()
    assert "Personal details." in no_reason.content.decode()  # what the moderator wrote is kept
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        taken = staff.post(address, {"code": "not_personal_account", "note": "Personal details."})
    assert taken.status_code == 302 and taken["Location"] == f"/admin/moderation/story/{contribution.pk}/"
    # The responder is told, with the policy's reason and the note: an explained decision.
    [told] = mail.outbox
    assert told.to == [person.user.email] and told.subject == "A response you wrote has been taken down"
    reason = policy.reason("not_personal_account")
    assert str(reason.title) in told.body and "Personal details." in told.body and "Nights on the ward" in told.body
    assert "/admin/services/stories/" in told.body and "/policy/" in told.body

    response.refresh_from_db()
    assert (response.status, response.decline_code) == (Response.Status.TAKEN_DOWN, "not_personal_account")
    assert "Call me on my mobile." not in client.get(story.url).content.decode()
    assert client.get("/api/v2/responses/").json()["items"] == []
    event = AuditEvent.objects.get(action=AuditEvent.Action.RESPONSE_TAKEN_DOWN)
    assert (event.story_ref, event.actor_role, event.policy_code) == (story.pk, "moderator", "not_personal_account")
    assert report_row(client, "response_taken_down")[0] == "1"
    story.refresh_from_db()
    assert story.live  # the story stays as it was
    assert staff.post(address, {"code": "not_personal_account"}).status_code == 404  # decided once


def test_an_invited_responder_is_emailed_a_link_to_set_their_password_and_nothing_of_any_story(
    client, story_index, django_capture_on_commit_callbacks
):
    ward = Service.objects.create(**WARD)
    about(publish_story(story_index, "Nights on the ward", body=("It was loud.",)), ward)
    staff = sign_in(moderator())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            "/admin/responders/new/",
            {"email": "lead@trust.example", "role": "Patient experience lead", "services": [ward.pk]},
        )
    [invitation] = mail.outbox
    assert invitation.to == ["lead@trust.example"]
    assert "Patient experience lead, for Willow Ward" in invitation.body
    assert "Nights on the ward" not in invitation.body and "It was loud" not in invitation.body
    link = re.search(r"https?://[^/\s]+(/admin/password_reset/confirm/\S+/)", invitation.body)[1]

    # Django's password reset token flow: the link opens a form to set a password, once.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and 'name="new_password1"' in form_page.content.decode()
    new_password = "a-long-new-passphrase-for-rhi"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    user = Responder.objects.get().user
    user.refresh_from_db()
    assert user.check_password(new_password)
    again = client.get(link, follow=True).content.decode()
    assert 'name="new_password1"' not in again  # used once

    # Then the same two-step sign-in as all staff: the password alone does not open the admin.
    fresh = type(client)()
    assert fresh.post("/admin/login/", {"username": user.username, "password": new_password}).status_code == 302
    assert "/admin/two-step/" in fresh.get("/admin/")["Location"]
    with django_capture_on_commit_callbacks(execute=True):  # changing the entry later sends nothing
        edited = staff.post(
            f"/admin/responders/edit/{Responder.objects.get().pk}/", {"role": "Lead", "services": [ward.pk]}
        )
    assert edited.status_code == 302 and Responder.objects.get().role == "Lead"
    assert len(mail.outbox) == 1
