"""Naming a service at /share/ in Chromium, by keyboard and axe-clean, with and without JavaScript: the directory's
names are offered in the story step (a <datalist>), a name from it ends as the contributor's own link once the story
is sent, and words not in it are found in the directory by a moderator on the review screen."""

import pytest
from playwright.sync_api import expect

from moderation.models import Contribution
from services.models import Service, ServiceNamedInWords, StoryService
from tests.browser.conftest import sign_in_to_admin
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.browser.test_share_journeys import WITH_JS, WITHOUT_JS, answer_choices, send, start
from tests.moderators import moderator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("story_index"),
]


def share_naming(page, base: str, service_named: str, *, javascript: bool = True) -> Contribution:
    keys, started = start(page, base, "write")
    keys.type_into("#id_title", "Nights on the ward")
    keys.type_into("#id_text", "The nights were loud and nobody came.")
    keys.type_into("#id_service_named", service_named)
    if javascript:  # axe runs as a script in the page
        assert_no_axe_violations(page)
    keys.press("Continue")
    answer_choices(page, keys, media=False)
    expect(page.get_by_text(service_named)).to_be_visible()  # on the check page, with the way to change it
    send(page, keys, started)
    return Contribution.objects.get()


@pytest.mark.parametrize("javascript", [pytest.param(True, marks=WITH_JS), pytest.param(False, marks=WITHOUT_JS)])
def test_a_contributor_names_a_service_from_the_directory_as_they_share(live_server, browser_page, javascript):
    ward = Service.objects.create(name="Willow Ward", organisation="Northshire NHS Trust")
    Service.objects.create(name="Crisis line")
    page = browser_page
    start(page, live_server.url, "write")
    options = page.locator("datalist#service-names option")
    assert [options.nth(i).get_attribute("value") for i in range(options.count())] == ["Crisis line", "Willow Ward"]
    assert page.locator("#id_service_named").get_attribute("list") == "service-names"

    contribution = share_naming(page, live_server.url, "Willow Ward", javascript=javascript)
    link = StoryService.objects.get(story=contribution.story)
    assert (link.service, link.source, link.confirmed) == (ward, StoryService.Source.CONTRIBUTOR, True)


def test_a_moderator_finds_a_service_named_in_words_on_the_review_screen(live_server, browser_page, chromium):
    ward = Service.objects.create(name="Willow Ward", organisation="Northshire NHS Trust")
    contribution = share_naming(browser_page, live_server.url, "the ward at Northshire hospital")
    assert ServiceNamedInWords.objects.filter(story=contribution.story).exists()

    context = chromium.new_context()
    staff = context.new_page()
    try:
        sign_in_to_admin(staff, live_server, moderator())
        staff.goto(f"{live_server.url}/admin/moderation/story/{contribution.pk}/")
        section = staff.get_by_role("region", name="Services the contributor named")
        expect(section.get_by_text("the ward at Northshire hospital")).to_be_visible()
        assert_no_axe_violations(staff)
        section.get_by_label("The service in our list").select_option(label=str(ward))
        section.get_by_role("button", name="Link the story to this service").click()
        expect(staff.get_by_text("The story is now linked to Willow Ward")).to_be_visible()
        expect(section.get_by_text("Willow Ward (Northshire NHS Trust): named by the contributor")).to_be_visible()
    finally:
        context.close()
    link = StoryService.objects.get(story=contribution.story)
    assert (link.service, link.source, link.confirmed) == (ward, StoryService.Source.CONTRIBUTOR, True)
