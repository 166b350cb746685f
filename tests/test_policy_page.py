"""The public policy page at /policy/ renders the same closed lists moderators choose from, and nothing outside
those lists can be chosen or stored."""

import html

import pytest
from django.core.exceptions import ValidationError

from moderation import policy
from moderation.models import Decision, Redaction
from moderation.models.tasks import DeclineForm
from tests.factories import ConsentRecordFactory, site_tree

pytestmark = pytest.mark.django_db


def test_the_policy_page_shows_every_reason_and_what_is_never_a_reason(client):
    response = client.get("/policy/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for reason in policy.ALL_REASONS:
        assert str(reason.title) in page and str(reason.explanation) in page  # lazy translations
        assert f'id="{reason.code}"' in page
    for ground in policy.NEVER_GROUNDS:
        assert ground in page
    assert f"Policy version {policy.POLICY_VERSION}" in page
    assert "/moderation/report/" in page


def test_the_lists_are_the_charters_and_have_stable_codes():
    assert [r.code for r in policy.DECLINE_REASONS] == [
        "not_personal_account",
        "duplicate",
        "unlawful_uneditable",
        "no_valid_consent",
    ]
    assert [r.code for r in policy.EDIT_REASONS] == [
        "identifies_third_party",
        "identifies_contributor",
        "contact_details",
        "method_detail",
        "allegation_identifiable",
        "slur",
    ]
    assert [r.code for r in policy.PAUSE_REASONS] == ["current_risk"]
    assert len({r.code for r in policy.ALL_REASONS}) == len(policy.ALL_REASONS)
    assert all(
        label.placeholder.startswith("[") and label.placeholder.endswith(" removed]")
        for label in policy.REDACTION_LABELS
    )
    # Only identifying details are covered by a contributor's "minimal edits" pre-authorisation.
    assert {r.code for r in policy.EDIT_REASONS if r.identifying_detail} == {
        "identifies_third_party",
        "identifies_contributor",
        "contact_details",
    }


@pytest.mark.parametrize("code", ["criticism_of_services", "offensive_language", "identifies_third_party", ""])
def test_a_decline_for_a_reason_outside_the_list_cannot_be_chosen_or_stored(code):
    form = DeclineForm({"code": code, "passage": "words", "note": "note"})
    assert not form.is_valid() and "code" in form.errors
    site_tree()
    contribution = ConsentRecordFactory().contribution
    with pytest.raises(ValidationError):
        Decision.objects.create(
            contribution=contribution, kind="decline", code=code, passage="words", note="note", status="confirmed"
        )
    assert not Decision.objects.exists()


def test_an_edit_for_a_reason_outside_the_list_cannot_be_stored():
    with pytest.raises(ValidationError):
        Redaction(code="not_personal_account", label="name").save()
