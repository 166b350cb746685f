"""The public moderation report: live figures from the audit log, split by whether a story criticises services, as a
moderator flagged it and as the contributor marked it, side by side. Stories received are also counted by the way
they reached us (the channel the audit log keeps with "submitted").

The audit log is content-free and outlives erasure, so the report keeps counting stories that were later withdrawn:
what moderators decided stays visible even when the story itself is gone.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from . import policy
from .models import AuditEvent, Contribution

Action = AuditEvent.Action

# Every other step a story can take, counted as the stories that took it at least once and labelled with the audit
# log's own words. Left out on purpose: consent_checked (an automatic check every story passes on its way to
# moderation, so it would repeat "Received"), assisted (who helped a person share: the "submitted" event's channel
# already counts those stories), publication_decided and publication_failed (how publishing is carried
# out, not a decision: the story counts as published once it is, and a failed attempt is retried by a moderator), and
# flagged/unflagged_critical and marked/unmarked_critical (they split the columns rather than add a row).
TRANSCRIPT_STEPS = (
    Action.TRANSCRIPT_READY,
    Action.TRANSCRIPT_CONFIRMED,
    Action.TRANSCRIPT_SENT_AS_IS,
    Action.TRANSCRIPT_SKIPPED,
)
EDIT_STEPS = (Action.EDITS_PROPOSED, Action.EDITS_PREAUTHORISED, Action.EDITS_ACCEPTED, Action.EDITS_REPLIED)
DECLINE_STEPS = (Action.DECLINE_PROPOSED, Action.DECLINE_OVERTURNED)
# After publication: services' responses, checked against the same policy.
RESPONSE_STEPS = (
    Action.RESPONSE_SENT,
    Action.RESPONSE_PUBLISHED,
    Action.RESPONSE_DECLINED,
    Action.RESPONSE_TAKEN_DOWN,
    Action.CHANGE_RECORDED,
    Action.REPLY_SENT,
    Action.REPLY_PUBLISHED,
    Action.REPLY_DECLINED,
)
# The contributor's answers to a decline and to a pause, each counted under what it answers.
REPLY_STEPS = (Action.DECLINE_REPLIED, Action.PAUSE_ANSWERED)
# The contributor keeping control without erasing: taken down for now (by them, or by staff at their request) and put
# back, and a lost private link replaced.
FOR_NOW_STEPS = (Action.HIDDEN_BY_CONTRIBUTOR, Action.HIDDEN_ON_REQUEST, Action.PUT_BACK, Action.LINK_REISSUED)
# The contributor changing their choices after sending: narrowing applies at once, widening is a moderator's light
# decision, so how often a moderator said no to a wider audience is public too.
CHOICES_STEPS = (Action.CHOICES_CHANGED, Action.CHOICES_TO_CHECK, Action.CHOICES_APPROVED, Action.CHOICES_DECLINED)

APPEAL_OUTCOMES = (
    (Action.APPEAL_PUBLISHED, _("Published after appeal")),
    (Action.APPEAL_EDITS, _("Published after appeal once the contributor agreed to edits")),
    (Action.APPEAL_DECLINE_UPHELD, _("The decline stands")),
)


@dataclass
class Figures:
    received: int = 0
    # Stories received through each way in (Contribution.Channel), by code.
    channels: dict[str, int] = field(default_factory=dict)
    published: int = 0
    published_with_edits: int = 0
    declined: int = 0
    declined_by_reason: list[tuple[policy.PolicyReason, int]] = field(default_factory=list)
    paused: int = 0
    withdrawn: int = 0
    expired: int = 0
    # Stories that took each of FOR_NOW_STEPS, by code.
    for_now: dict[str, int] = field(default_factory=dict)
    taken_down: int = 0
    safeguarding_handled: int = 0
    # Stories that took each of the other steps (TRANSCRIPT_STEPS, EDIT_STEPS, DECLINE_STEPS, REPLY_STEPS), by code.
    steps: dict[str, int] = field(default_factory=dict)
    appeals: int = 0
    appeal_outcomes: list[tuple[str, str, int]] = field(default_factory=list)
    median_time_to_publish: timedelta | None = None
    median_time_to_respond: timedelta | None = None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: list
    sub: bool = False


@dataclass
class ModerationReport:
    all_stories: Figures
    critical_of_services: Figures
    marked_by_contributor: Figures
    other_stories: Figures
    generated_at: datetime

    @property
    def columns(self) -> list[tuple[str, Figures]]:
        return [
            (gettext("All stories"), self.all_stories),
            (gettext("Flagged as critical of services by a moderator"), self.critical_of_services),
            (gettext("Marked as critical of services by the contributor"), self.marked_by_contributor),
            (gettext("Neither flagged nor marked"), self.other_stories),
        ]

    def rows(self) -> list[Row]:
        """The report as table rows, one value per column, in reading order, labelled in the active language."""
        figures = [f for _, f in self.columns]

        def row(key: str, label: str, value, sub: bool = False) -> Row:
            return Row(key, label, [value(f) for f in figures], sub)

        def steps(actions, sub: bool = True) -> list[Row]:
            return [row(action, action.label, lambda f, a=action: f.steps[a], sub) for action in actions]

        return [
            row("received", pgettext("moderation report: stories", "Received"), lambda f: f.received),
            *(
                row(
                    f"channel_{channel}",
                    gettext("Received: %(way)s") % {"way": label},
                    lambda f, c=channel: f.channels[c],
                    sub=True,
                )
                for channel, label in Contribution.Channel.choices
            ),
            *steps(TRANSCRIPT_STEPS),
            row("published", pgettext("moderation report: stories", "Published"), lambda f: f.published),
            row(
                "published_with_edits",
                gettext("Published with edits the contributor agreed to"),
                lambda f: f.published_with_edits,
            ),
            *steps(EDIT_STEPS),
            *steps(DECLINE_STEPS, sub=False),
            row("declined", pgettext("moderation report: stories", "Declined"), lambda f: f.declined),
            *(
                row(
                    f"declined_{r.code}",
                    gettext("Declined: %(reason)s") % {"reason": r.title},
                    lambda f, i=i: f.declined_by_reason[i][1],
                    sub=True,
                )
                for i, r in enumerate(policy.DECLINE_REASONS)
            ),
            *steps(REPLY_STEPS[:1]),
            row("taken_down", gettext("Taken down after publication by a staff moderator"), lambda f: f.taken_down),
            row("paused", gettext("Paused for safeguarding"), lambda f: f.paused),
            row(
                Action.SAFEGUARDING_HANDLED,
                Action.SAFEGUARDING_HANDLED.label,
                lambda f: f.safeguarding_handled,
                sub=True,
            ),
            *steps(REPLY_STEPS[1:]),
            row("appeals", gettext("Appeals"), lambda f: f.appeals),
            *(
                row(
                    action,
                    gettext("Appeal outcome: %(outcome)s") % {"outcome": label},
                    lambda f, i=i: f.appeal_outcomes[i][2],
                    sub=True,
                )
                for i, (action, label) in enumerate(APPEAL_OUTCOMES)
            ),
            row("withdrawn", gettext("Withdrawn by the contributor"), lambda f: f.withdrawn),
            row("expired", gettext("Unpublished when the contributor's consent ended"), lambda f: f.expired),
            *(row(action, action.label, lambda f, a=action: f.for_now[a]) for action in FOR_NOW_STEPS),
            *steps(CHOICES_STEPS, sub=False),
            row(
                "median",
                gettext("Median time from sharing to publication"),
                lambda f: humanise(f.median_time_to_publish),
            ),
            *steps(RESPONSE_STEPS, sub=False),
            row(
                "median_response",
                gettext("Median time from publication to a service's published response"),
                lambda f: humanise(f.median_time_to_respond, gettext("No responses published yet")),
            ),
        ]


@dataclass
class _StoryEvents:
    first_at: dict[str, datetime] = field(default_factory=dict)
    codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    channel: str = ""
    critical: bool = False
    marked_by_contributor: bool = False


def _events_by_story() -> dict[int, _StoryEvents]:
    stories: dict[int, _StoryEvents] = defaultdict(_StoryEvents)
    for ref, action, code, channel, at in AuditEvent.objects.order_by("at", "pk").values_list(
        "story_ref", "action", "policy_code", "channel", "at"
    ):
        story = stories[ref]
        story.first_at.setdefault(action, at)
        story.codes[action].add(code)
        if action == Action.SUBMITTED:
            story.channel = channel
        elif action in (Action.FLAGGED_CRITICAL, Action.UNFLAGGED_CRITICAL):
            story.critical = action == Action.FLAGGED_CRITICAL
        elif action in (Action.MARKED_CRITICAL, Action.UNMARKED_CRITICAL):
            story.marked_by_contributor = action == Action.MARKED_CRITICAL
    return stories


def _figures(stories: list[_StoryEvents]) -> Figures:
    def count(action: str) -> int:
        return sum(1 for story in stories if action in story.first_at)

    declined_codes = [code for story in stories for code in story.codes.get(Action.DECLINED, ())]

    def times(start: str, end: str) -> list[timedelta]:
        return [
            story.first_at[end] - story.first_at[start] for story in stories if {start, end} <= story.first_at.keys()
        ]

    to_publish = times(Action.SUBMITTED, Action.PUBLISHED)
    to_respond = times(Action.PUBLISHED, Action.RESPONSE_PUBLISHED)
    return Figures(
        received=count(Action.SUBMITTED),
        channels={
            channel: sum(1 for story in stories if Action.SUBMITTED in story.first_at and story.channel == channel)
            for channel in Contribution.Channel.values
        },
        published=count(Action.PUBLISHED),
        published_with_edits=count(Action.PUBLISHED_WITH_EDITS),
        declined=count(Action.DECLINED),
        declined_by_reason=[(r, declined_codes.count(r.code)) for r in policy.DECLINE_REASONS],
        paused=count(Action.PAUSED),
        withdrawn=count(Action.WITHDRAWN),
        expired=count(Action.CONSENT_EXPIRED),
        for_now={action: count(action) for action in FOR_NOW_STEPS},
        taken_down=count(Action.TAKEN_DOWN),
        safeguarding_handled=count(Action.SAFEGUARDING_HANDLED),
        steps={
            action: count(action)
            for action in (
                *TRANSCRIPT_STEPS,
                *EDIT_STEPS,
                *DECLINE_STEPS,
                *REPLY_STEPS,
                *CHOICES_STEPS,
                *RESPONSE_STEPS,
            )
        },
        appeals=count(Action.APPEAL_LODGED),
        appeal_outcomes=[(action, label, count(action)) for action, label in APPEAL_OUTCOMES],
        median_time_to_publish=statistics.median(to_publish) if to_publish else None,
        median_time_to_respond=statistics.median(to_respond) if to_respond else None,
    )


def build_report() -> ModerationReport:
    stories = list(_events_by_story().values())
    return ModerationReport(
        all_stories=_figures(stories),
        critical_of_services=_figures([s for s in stories if s.critical]),
        marked_by_contributor=_figures([s for s in stories if s.marked_by_contributor]),
        other_stories=_figures([s for s in stories if not (s.critical or s.marked_by_contributor)]),
        generated_at=timezone.now(),
    )


def humanise(duration: timedelta | None, none: str = "") -> str:
    """A duration in words, in the active language; `none` (or "No stories published yet") when there is none."""
    if duration is None:
        return none or gettext("No stories published yet")
    hours = duration.total_seconds() / 3600
    if hours < 1:
        return gettext("Under an hour")
    if hours < 48:
        count = round(hours)
        return ngettext("%(count)s hour", "%(count)s hours", count) % {"count": count}
    count = round(hours / 24)
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}
