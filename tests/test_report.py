"""The public moderation report at /moderation/report/: its figures match the database, with the split for stories
flagged as critical of services beside the rest."""

import datetime
import re
import statistics

import pytest
from django.core.cache import cache
from django.test import TestCase

from moderation import policy, workflows
from moderation.expiry import expire_consents
from moderation.models import (
    Appeal,
    AuditEvent,
    ConsentRecord,
    Contribution,
    ContributorReply,
    CriticalOfServicesFlag,
    Decision,
    EditProposal,
    StoryStatus,
    WithdrawnStoryKey,
)
from moderation.redaction import add_draft_redaction
from moderation.report import build_report, humanise
from tests import sharing
from tests.factories import site_tree
from tests.media_factory import mediarecorder_webm
from tests.moderators import moderator, peer_moderator
from tests.workers import run_queue

# The heart of moderation runs again on PostgreSQL with the Redis/RQ queue (tests/run_suite.py).
pytestmark = [pytest.mark.django_db, pytest.mark.production_parts]


def share(client, text: str) -> tuple[Contribution, str]:
    cache.clear()  # the share flow's rate limit would otherwise count every story in this test
    answers = sharing.choice_answers(minimal_edits="yes", identity="anonymous", display_name="")
    fields = sharing.fill_in(client, story=sharing.story_answers(text=text), choices=answers)
    assert client.post("/share/check/", fields).status_code == 302
    key = sharing.story_link(client.get("/share/done/").content.decode()).rstrip("/").rsplit("/", 1)[1]
    return Contribution.objects.get(idempotency_key=fields["token"]), key


def act(contribution: Contribution, user, action: str, **data) -> None:
    """Take a workflow action as it commits, and let the worker carry out any publication it decides."""
    contribution.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        workflows.perform_action(workflows.current_task_state(contribution).specific, user, action, **data)
    run_queue("publication")
    contribution.refresh_from_db()


def decline(contribution, first, second, code):
    act(contribution, first, "propose_decline", code=code, passage="words", note="note")
    act(contribution, second, "confirm_decline", note="agreed")


def report_table(client) -> dict[str, list[str]]:
    html = client.get("/moderation/report/").content.decode()
    rows = re.findall(r'<tr data-row="([^"]+)"[^>]*><th scope="row">[^<]*</th>((?:<td>[^<]*</td>)+)</tr>', html)
    return {key: re.findall(r"<td>([^<]*)</td>", cells) for key, cells in rows}


def expected(contributions) -> dict[str, str]:
    """The figures, counted from the stories' own records (not from the audit log the report reads)."""
    ids = [c.pk for c in contributions]
    mine = Contribution.objects.filter(pk__in=ids)
    published = mine.filter(published_at__isnull=False)
    declines = Decision.objects.filter(contribution__in=mine, kind=Decision.Kind.DECLINE, status="confirmed")
    appeals = Appeal.objects.filter(contribution__in=mine)
    replies = ContributorReply.objects.filter(contribution__in=mine)
    times = [c.published_at - c.submitted_at for c in published]
    figures = {
        "received": mine.count(),
        "published": published.count(),
        "published_with_edits": published.filter(proposals__status__in=EditProposal.APPLIED).distinct().count(),
        "declined": declines.values("contribution").distinct().count(),
        "paused": Decision.objects.filter(contribution__in=mine, kind="pause")
        .values("contribution")
        .distinct()
        .count(),
        "appeals": appeals.count(),
        "appeal_published": appeals.filter(status=Appeal.Status.PUBLISHED).count(),
        "appeal_edits_proposed": appeals.filter(status=Appeal.Status.EDITS_PROPOSED).count(),
        "appeal_decline_upheld": appeals.filter(status=Appeal.Status.DECLINE_UPHELD).count(),
        "expired": mine.filter(status=StoryStatus.EXPIRED).count(),
        "decline_replied": replies.filter(decision__kind="decline").values("contribution").distinct().count(),
        "pause_answered": replies.filter(decision__kind="pause").values("contribution").distinct().count(),
        "median": humanise(statistics.median(times) if times else None),
    }
    for reason in policy.DECLINE_REASONS:
        figures[f"declined_{reason.code}"] = declines.filter(code=reason.code).count()
    return {key: str(value) for key, value in figures.items()}


def test_the_report_matches_the_database(client):
    site_tree()
    first, second, peer = moderator("first"), moderator("second"), peer_moderator("peer")
    stories = {name: share(client, f"Story {name}: what happened to me on the ward.") for name in "ABCDEFGHI"}
    c = {name: contribution for name, (contribution, _key) in stories.items()}

    act(c["A"], first, "publish")
    workflows.set_critical_of_services(c["A"], first, True)
    workflows.set_critical_of_services(c["B"], first, True)
    workflows.set_critical_of_services(c["B"], first, False)  # a flag taken back does not count
    add_draft_redaction(
        c["B"],
        first,
        target="body",
        index=0,
        passage="ward",
        code="identifies_third_party",
        label="place",
        note="",
    )
    act(c["B"], first, "propose_edits")  # pre-authorised minimal edits: published at once
    decline(c["C"], first, second, "not_personal_account")
    workflows.reply_to_decision(c["C"], "It is my own account.")
    workflows.reply_to_decision(c["C"], "Please read it again.")  # a story that replied twice counts once
    workflows.mark_critical_by_contributor(c["C"], True)
    workflows.mark_critical_by_contributor(c["A"], True)  # flagged by a moderator too: counted in both columns
    workflows.mark_critical_by_contributor(c["E"], True)
    workflows.mark_critical_by_contributor(c["E"], False)  # a mark taken back does not count
    decline(c["D"], first, second, "duplicate")
    workflows.set_critical_of_services(c["D"], first, True)
    workflows.lodge_appeal(c["D"], "It is not a duplicate.")
    act(c["D"], peer, "publish")
    decline(c["E"], first, second, "no_valid_consent")
    workflows.lodge_appeal(c["E"], "It is my story.")
    act(c["E"], peer, "uphold_decline", note="The story is about someone else, told without them.")
    act(c["F"], peer, "pause", passage="words", note="worried")
    workflows.reply_to_decision(c["F"], "", [ContributorReply.QuickAnswer.SAFE_NOW])
    client.post(f"/my-story/{stories['G'][1]}/withdraw/")  # withdrawn while in moderation: erased
    ConsentRecord.objects.filter(contribution=c["I"]).update(
        expires_on=datetime.date.today() + datetime.timedelta(days=2)
    )
    act(c["I"], first, "publish")
    assert expire_consents(today=datetime.date.today() + datetime.timedelta(days=2)) == 1
    # H is still waiting for a moderator.

    remaining = [c[name] for name in "ABCDEFHI"]
    critical = list(Contribution.objects.filter(pk__in=CriticalOfServicesFlag.objects.values("contribution")))
    marked = list(Contribution.objects.filter(pk__in=[x.pk for x in remaining], marked_critical_by_contributor=True))
    others = [contribution for contribution in remaining if contribution not in critical + marked]
    assert {x.pk for x in critical} == {c["A"].pk, c["D"].pk}
    assert {x.pk for x in marked} == {c["A"].pk, c["C"].pk}

    table = report_table(client)
    all_stories, flagged, contributor_marked, neither = (
        expected(remaining),
        expected(critical),
        expected(marked),
        expected(others),
    )
    # The one withdrawn story is erased: its contribution is gone, only the tombstone of its key and the audit log
    # remain. It was received, never flagged, and is counted as withdrawn.
    assert WithdrawnStoryKey.objects.count() == 1
    all_stories["received"] = str(int(all_stories["received"]) + 1)
    neither["received"] = str(int(neither["received"]) + 1)
    for key, values in all_stories.items():
        assert table[key] == [values, flagged[key], contributor_marked[key], neither[key]], key
    assert table["withdrawn"] == ["1", "0", "0", "1"]

    assert table["received"] == ["9", "2", "2", "6"]
    assert table["published"] == ["4", "2", "1", "2"]
    assert table["declined"] == ["3", "1", "1", "1"]
    assert table["appeals"] == ["2", "1", "0", "1"]
    assert table["decline_replied"] == ["1", "0", "1", "0"]
    assert table["pause_answered"] == ["1", "0", "0", "1"]


def test_every_step_in_the_audit_registry_is_counted_or_deliberately_left_out():
    """One story taking each registered step moves a row of the report, except the steps the report leaves out on
    purpose: an automatic check every story passes, how publishing is carried out, and the flag that splits the
    columns instead."""
    left_out = {
        AuditEvent.Action.ASSISTED,
        AuditEvent.Action.CONSENT_CHECKED,
        AuditEvent.Action.PUBLICATION_DECIDED,
        AuditEvent.Action.PUBLICATION_FAILED,
        AuditEvent.Action.FLAGGED_CRITICAL,
        AuditEvent.Action.UNFLAGGED_CRITICAL,
        AuditEvent.Action.MARKED_CRITICAL,
        AuditEvent.Action.UNMARKED_CRITICAL,
    }

    def all_stories() -> dict[str, str]:
        return {row.key: row.values[0] for row in build_report().rows()}

    counted = set()
    for story_ref, action in enumerate(AuditEvent.Action, start=1):
        before = all_stories()
        AuditEvent.record(story_ref, action, AuditEvent.Actor.SYSTEM, "duplicate")
        moved = {key for key, value in all_stories().items() if value != before[key] and key != "median"}
        if moved:
            counted.add(action)
    assert counted == set(AuditEvent.Action) - left_out
    rows = {row.key: row.label for row in build_report().rows()}
    assert rows["taken_down"] == "Taken down after publication by a staff moderator"
    assert rows["safeguarding_handled"] == "Safeguarding handled: back to moderation"
    assert rows["decline_overturned"] == "Decline overturned by a second moderator"


def test_stories_received_are_counted_by_the_way_they_reached_us(client, tmp_path):
    """Written and uploaded on the website count as "web", a recording made in the browser as "recorded"; the channel
    is kept in the audit log, so a withdrawn (erased) story still counts under its channel."""
    site_tree()
    first = moderator("first")
    written, written_key = share(client, "Story A: what happened to me on the ward.")
    flagged, _ = share(client, "Story B: the crisis team came late.")
    workflows.set_critical_of_services(flagged, first, True)

    def share_media(method: str, recording) -> Contribution:
        cache.clear()
        fields = sharing.fill_in(
            client,
            method=method,
            story=sharing.story_answers(text=None),
            choices=sharing.choice_answers(media=True),
            media_file=sharing.upload(recording, content_type="audio/webm"),
        )
        assert client.post("/share/check/", fields).status_code == 302
        return Contribution.objects.get(idempotency_key=fields["token"])

    recorded = share_media("record", mediarecorder_webm(tmp_path / "take.webm"))
    uploaded = share_media("upload", mediarecorder_webm(tmp_path / "memo.webm"))
    client.post(f"/my-story/{written_key}/withdraw/")

    assert (recorded.channel, uploaded.channel, flagged.channel) == ("recorded", "web", "web")
    assert recorded.consents.get().channel == "recorded"
    table = report_table(client)
    assert table["received"] == ["4", "1", "0", "3"]
    assert table["channel_web"] == ["3", "1", "0", "2"]
    assert table["channel_recorded"] == ["1", "0", "0", "1"]
    assert table["channel_assisted"] == ["0", "0", "0", "0"]
    labels = {row.key: row.label for row in build_report().rows()}
    assert labels["channel_recorded"] == "Received: Recorded in the browser on the website"
