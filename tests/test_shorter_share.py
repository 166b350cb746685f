"""A shorter share: the choices step asks few questions that cannot conflict, in few words; the story step offers
prompts and an optional "I'm sharing as…", which readers can filter stories by."""

import re

import pytest
from bs4 import BeautifulSoup

from moderation.models import ConsentRecord
from stories.models import StoryPage
from tests import sharing
from tests.factories import ContentNoteFactory, ThemeFactory
from tests.public_site import publish_story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]

MAX_QUESTIONS = 6
MAX_WORDS = 350


def choices_page(client, method: str = "write", recording=None) -> BeautifulSoup:
    ThemeFactory(name="Peer support")
    ContentNoteFactory(name="Self-harm")
    client.post("/share/", {"method": method})
    story = sharing.story_answers(**({} if method == "write" else {"text": None}))
    if recording is not None:
        story["media"] = sharing.upload(recording)
    assert client.post("/share/story/", story).status_code == 302
    response = client.get("/share/choices/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_at_most_six_questions_are_asked_before_sending_and_none_is_answered_for_you(client):
    page = choices_page(client, method="write").select_one("form[data-choices-form]")
    details = page.select_one("details.more-choices")
    outside = [
        control
        for control in page.select("input, select, textarea")
        if control.get("type") not in ("hidden", "submit")
        and details not in control.parents
        and control.get("name") != "website"
    ]
    questions = {control["name"] for control in outside} - {"display_name"}  # the name box is part of its question
    assert questions == {"audience", "identity", "email", "agree"}
    assert len(questions) <= MAX_QUESTIONS
    # The name box sits inside the naming question.
    assert page.select_one("input[name=display_name]").find_parent("fieldset").legend.text.startswith("How would")
    # End date, small edits, content notes and themes wait in "more choices", closed until something is in it.
    assert {c["name"] for c in details.select("input")} >= {"expires_on", "minimal_edits", "content_notes", "themes"}
    assert not details.has_attr("open")
    assert page.select("input[checked]") == []


def test_a_recording_adds_the_voice_and_face_question(client, shared_speech):
    page = choices_page(client, method="upload", recording=shared_speech / "fleurs-en-000.ogg")
    assert page.select("input[name=media_use]") and not page.select("input[name=media_use][checked]")


def test_the_page_says_what_it_needs_in_at_most_350_words_besides_the_consent_text(client, shared_speech):
    page = choices_page(client, method="upload", recording=shared_speech / "fleurs-en-000.ogg")
    own = page.select_one("div.share")
    own.select_one("#consent-text").decompose()
    words = re.findall(r"[\w\u2019'\u201c\u201d-]+", own.get_text(" "))
    assert len(words) <= MAX_WORDS, len(words)


@pytest.mark.parametrize(
    ("audience", "research_use"),
    [("both", True), ("public", False), ("researchers", True)],
)
def test_one_answer_says_who_may_see_it_and_whether_researchers_may_use_it(client, audience, research_use):
    fields = sharing.fill_in(client, choices=sharing.choice_answers(audience=audience, minimal_edits=None))
    assert client.post("/share/check/", fields).status_code == 302

    consent = ConsentRecord.objects.get()
    assert (consent.audience, consent.research_use) == (audience, research_use)
    assert consent.minimal_edits_preauthorised is False  # not answered: moderators ask first


def test_a_first_name_is_asked_for_in_the_same_question_and_a_name_typed_before_anonymous_is_dropped(client):
    fields = sharing.fill_in(client, choices=sharing.choice_answers(identity="anonymous", display_name="Sam"))
    assert client.post("/share/check/", fields).status_code == 302
    assert StoryPage.objects.get().display_name == ""
    assert ConsentRecord.objects.get().identity == ConsentRecord.Identity.ANONYMOUS


def test_more_choices_opens_on_a_problem_in_it(client):
    choices_page(client, method="write")
    response = client.post("/share/choices/", sharing.choice_answers(expires_on="2001-01-01"))
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("details.more-choices").has_attr("open")
    assert page.select_one("#id_expires_on_error")


def test_the_story_step_offers_prompts_and_an_optional_perspective(client):
    client.post("/share/", {"method": "write"})
    page = BeautifulSoup(client.get("/share/story/").content, "html.parser")
    prompts = [item.text for item in page.select(".prompts li")]
    assert prompts == [
        "What happened?",
        "What helped?",
        "What got in the way?",
        "What would you want services to know?",
    ]
    assert page.select_one("select[name=perspective] option[selected]") is None or (
        page.select_one("select[name=perspective] option[selected]")["value"] == ""
    )


def test_the_perspective_is_kept_on_the_story_and_shown_on_the_check_page_only(client):
    story = sharing.story_answers(perspective="family_carer")
    fields = sharing.fill_in(client, story=story)
    assert "A family member or carer" in client.get("/share/check/").content.decode()
    assert client.post("/share/check/", fields).status_code == 302
    assert StoryPage.objects.get().perspective == "family_carer"


def test_an_unknown_perspective_is_refused_kindly(client):
    client.post("/share/", {"method": "write"})
    response = client.post("/share/story/", sharing.story_answers(perspective="boss"))
    assert response.status_code == 200 and 'id="id_perspective_error"' in response.content.decode()


def test_stories_can_be_filtered_by_perspective_and_the_policy_welcomes_every_one(client, story_index):
    carer = publish_story(story_index, "A carer's view", body=("Looking after my dad.",))
    worker = publish_story(story_index, "A peer worker's view", body=("On shift.",))
    StoryPage.objects.filter(pk=carer.pk).update(perspective="family_carer")
    StoryPage.objects.filter(pk=worker.pk).update(perspective="peer_worker")

    html = client.get("/stories/?perspective=family_carer").content.decode()
    assert "A carer&#x27;s view" in html and "peer worker&#x27;s view" not in html
    assert "A peer worker&#x27;s view" in client.get("/stories/?perspective=nonsense").content.decode()
    assert "A family member or carer" not in client.get(carer.url).content.decode()  # never beside the story

    policy = client.get("/policy/").content.decode()
    assert "Every perspective is welcome" in policy
    for words in ("people who use services", "family members and carers", "peer workers", "staff"):
        assert words in policy
