"""Voicebox's moderation policy as data: the closed lists of reasons, in one place.

Every decline, edit and pause names one of these codes; the public policy page renders this module, so what
moderators may do and what the public is told they may do cannot drift apart. Codes are stable identifiers stored in
decisions and the audit log: reword a reason's text freely, but never reuse a code for a different meaning. Changing
what a list allows means a new POLICY_VERSION and an entry in POLICY_HISTORY.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ReasonKind(StrEnum):
    DECLINE = "decline"
    EDIT = "edit"
    PAUSE = "pause"


@dataclass(frozen=True)
class PolicyReason:
    code: str
    kind: ReasonKind
    # Lazy translations: shown in the reader's language wherever they are rendered.
    title: str | Promise
    explanation: str | Promise
    # Edits only: the placeholder label a redaction for this reason uses unless the moderator picks another.
    default_label: str = ""
    # Edits only: removes an identifying detail, so a contributor's "minimal edits" pre-authorisation covers it.
    identifying_detail: bool = False


@dataclass(frozen=True)
class RedactionLabel:
    code: str
    placeholder: str


POLICY_VERSION = "2026.1"
# The history and the never-grounds are only shown on the policy page, which translates them ({% translate %}).
POLICY_HISTORY = [
    (
        "2026.1",
        gettext_noop("First published policy: four reasons to decline, six reasons to edit, one reason to pause."),
    ),
]

DECLINE_REASONS = (
    PolicyReason(
        "not_personal_account",
        ReasonKind.DECLINE,
        _("Not a personal account of mental-health experience"),
        _("For example spam, advertising, or a post that is not anyone's own experience of mental health."),
    ),
    PolicyReason(
        "duplicate",
        ReasonKind.DECLINE,
        _("A duplicate of the same person's story"),
        _("The same person has already shared this story. The first one stays."),
    ),
    PolicyReason(
        "unlawful_uneditable",
        ReasonKind.DECLINE,
        _("Unlawful content that editing cannot remove"),
        _("Content that would be against the law to publish, where removing a few words would not be enough."),
    ),
    PolicyReason(
        "no_valid_consent",
        ReasonKind.DECLINE,
        _("No valid consent"),
        _("For example, someone else's story told without their agreement."),
    ),
)

EDIT_REASONS = (
    PolicyReason(
        "identifies_third_party",
        ReasonKind.EDIT,
        _("Identifies someone else"),
        _("Names, dates or places that would let readers work out who another person is."),
        default_label="name",
        identifying_detail=True,
    ),
    PolicyReason(
        "identifies_contributor",
        ReasonKind.EDIT,
        _("Identifies you more than you chose"),
        _("Details that would show who you are beyond the level of identity you chose when you shared."),
        default_label="detail",
        identifying_detail=True,
    ),
    PolicyReason(
        "contact_details",
        ReasonKind.EDIT,
        _("Contact details"),
        _("Phone numbers, email or home addresses, social media handles."),
        default_label="contact",
        identifying_detail=True,
    ),
    PolicyReason(
        "method_detail",
        ReasonKind.EDIT,
        _("Method detail of self-harm or suicide"),
        _("Only the detail of a method is removed. What happened and how it felt stays."),
        default_label="method",
    ),
    PolicyReason(
        "allegation_identifiable",
        ReasonKind.EDIT,
        _("A specific allegation against someone who can be identified"),
        _("We remove what identifies the person, so the experience can still be told."),
        default_label="name",
    ),
    PolicyReason(
        "slur",
        ReasonKind.EDIT,
        _("A slur against a group of people"),
        _("Words that attack people for who they are. Swearing is not a slur and is never removed."),
        default_label="slur",
    ),
)

PAUSE_REASONS = (
    PolicyReason(
        "current_risk",
        ReasonKind.PAUSE,
        _("Current risk disclosed"),
        _(
            "The story tells us someone may be at risk now. We pause publication and follow our safeguarding route. "
            "This is not a decline: the story can still be published."
        ),
    ),
)

# Never grounds to decline or edit (the charter, section 2).
NEVER_GROUNDS = (
    gettext_noop(
        "Criticism of services, staff who cannot be identified, treatments, medication, diagnosis or psychiatry."
    ),
    gettext_noop('Rejecting the word "recovery".'),
    gettext_noop("Experiences others find unusual (hearing voices, visions, unusual beliefs), told in your own terms."),
    gettext_noop("Anger, despair, ongoing distress, or a story without a happy ending."),
    gettext_noop("Swearing, informal language, spelling, or writing in any language."),
    gettext_noop("Political or religious views."),
    gettext_noop("Criticism of the organisation that runs Voicebox."),
)

REDACTION_LABELS = (
    RedactionLabel("name", "[name removed]"),
    RedactionLabel("place", "[place removed]"),
    RedactionLabel("date", "[date removed]"),
    RedactionLabel("contact", "[contact details removed]"),
    RedactionLabel("method", "[method detail removed]"),
    RedactionLabel("slur", "[slur removed]"),
    RedactionLabel("detail", "[identifying detail removed]"),
)

ALL_REASONS = DECLINE_REASONS + EDIT_REASONS + PAUSE_REASONS
_BY_CODE = {reason.code: reason for reason in ALL_REASONS}
_LABELS = {label.code: label for label in REDACTION_LABELS}


def reason(code: str) -> PolicyReason:
    """The reason with this code; KeyError for a code that is not on the policy."""
    return _BY_CODE[code]


def reasons(kind: ReasonKind) -> tuple[PolicyReason, ...]:
    return tuple(r for r in ALL_REASONS if r.kind == kind)


def choices(kind: ReasonKind) -> list[tuple[str, str]]:
    """Form and model choices for one list: nothing outside the list can be chosen or stored."""
    return [(r.code, r.title) for r in reasons(kind)]


def label_choices() -> list[tuple[str, str]]:
    return [(label.code, label.placeholder) for label in REDACTION_LABELS]


def placeholder(label_code: str) -> str:
    return _LABELS[label_code].placeholder
