"""In Chromium, axe-clean: a responder responds to a published story, a moderator publishes the response under the
policy, and the public story and the service's page show it with the service's name and the responder's role; the
contributor confirms a moderator's proposed service and replies to a recorded change from their private page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from services.models import Responder, Response, ResponseReply, Service, StoryService
from services.responses import RESPONDERS
from stories.governance import publishing_under_governance
from tests.browser.conftest import sign_in_to_admin
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.factories import ConsentRecordFactory, ContributionFactory
from tests.moderators import make_user, moderator
from tests.public_site import build_site, publish_story

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_responder_responds_and_the_public_story_shows_it(live_server, browser_page, chromium):
    ward = Service.objects.create(name="Willow Ward", organisation="Northshire NHS Trust", kind="inpatient")
    story = publish_story(build_site(), "Nights on the ward", body=("The nights were loud and nobody came.",))
    StoryService.objects.create(story=story, service=ward, source=StoryService.Source.CONTRIBUTOR)
    person = Responder.objects.create(user=make_user("rhi", RESPONDERS), role="Ward manager")
    person.services.add(ward)

    page = browser_page
    sign_in_to_admin(page, live_server, person.user)
    page.get_by_role("link", name="Stories about your service").click()
    page.get_by_role("link", name="Nights on the ward").click()
    expect(page.get_by_text("The nights were loud and nobody came.")).to_be_visible()
    page.get_by_label("A change was made").check()
    page.get_by_label("Your response").fill("Thank you. We listened to the night staff and to you.")
    page.get_by_label("What is changing, or has changed, in one sentence").fill("A quiet-hours rota from 10pm.")
    page.get_by_role("button", name="Send your response").click()
    expect(page.get_by_text("A moderator will check your response")).to_be_visible()

    staff_context = chromium.new_context()
    staff = staff_context.new_page()
    try:
        sign_in_to_admin(staff, live_server, moderator())
        staff.goto(f"{live_server.url}/admin/services/responses/")
        staff.get_by_label("Publish", exact=True).check()
        staff.get_by_role("button", name="Record the decision").click()
        expect(staff.get_by_text("Published under the story.")).to_be_visible()
    finally:
        staff_context.close()

    reader = chromium.new_context().new_page()
    try:
        reader.goto(live_server.url + story.url)
        section = reader.get_by_role("region", name="Responses from services")
        expect(section.get_by_text("Ward manager, Willow Ward")).to_be_visible()
        expect(section.get_by_text("A quiet-hours rota from 10pm.")).to_be_visible()
        assert "rhi" not in section.inner_text()
        assert_no_axe_violations(reader)
        reader.get_by_role("link", name="Willow Ward").click()
        expect(reader.get_by_text("Thank you. We listened to the night staff and to you.")).to_be_visible()
        assert_no_axe_violations(reader)
        reader.goto(f"{live_server.url}/services/")
        assert_no_axe_violations(reader)
    finally:
        reader.context.close()


def test_the_contributor_replies_to_a_change_from_their_private_page(live_server, browser_page):
    ward = Service.objects.create(name="Willow Ward", organisation="Northshire NHS Trust", kind="inpatient")
    contribution = ContributionFactory()
    ConsentRecordFactory(contribution=contribution)
    story = contribution.story
    with publishing_under_governance():
        story.save_revision().publish()
    StoryService.objects.create(story=story, service=ward, source=StoryService.Source.MODERATOR)
    Response.objects.create(
        story=story,
        service=ward,
        role="Ward manager",
        kind=Response.Kind.CHANGE_MADE,
        body="We listened.",
        change="A quiet-hours rota from 10pm.",
        status=Response.Status.PUBLISHED,
        published_at=timezone.now(),
    )

    page = browser_page
    page.goto(f"{live_server.url}/my-story/{contribution.key}/")
    section = page.get_by_role("region", name="Services your story is about")
    section.get_by_role("button", name="Yes, it is about Willow Ward").click()
    section = page.get_by_role("region", name="Services your story is about")
    expect(section.get_by_text("A quiet-hours rota from 10pm.")).to_be_visible()
    assert_no_axe_violations(page)
    section.get_by_role("link", name="Reply to Willow Ward").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send my reply").click()
    expect(page.get_by_text("Please write a reply, or say whether the change matches your experience.")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("This partly matches my experience").check()
    page.get_by_label("Your reply").fill("Nights are quieter now, most of the time.")
    page.get_by_role("button", name="Send my reply").click()
    expect(page.get_by_text("You replied.")).to_be_visible()
    reply = ResponseReply.objects.get()
    assert (reply.experience, reply.status) == ("partly", Response.Status.PENDING)
