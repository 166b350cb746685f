"""Voicebox's moderation policy as data: the closed lists of reasons, in one place.

Every decline, edit and pause names one of these codes; the public policy page renders this module, so what
moderators may do and what the public is told they may do cannot drift apart. Codes are stable identifiers stored in
decisions and the audit log: reword a reason's text freely, but never reuse a code for a different meaning. Changing
what a list allows means a new POLICY_VERSION and an entry in POLICY_HISTORY.
"""

from dataclasses import dataclass
from enum import StrEnum


class ReasonKind(StrEnum):
    DECLINE = "decline"
    EDIT = "edit"
    PAUSE = "pause"


@dataclass(frozen=True)
class PolicyReason:
    code: str
    kind: ReasonKind
    title: str
    explanation: str
    # Edits only: the placeholder label a redaction for this reason uses unless the moderator picks another.
    default_label: str = ""
    # Edits only: removes an identifying detail, so a contributor's "minimal edits" pre-authorisation covers it.
    identifying_detail: bool = False


@dataclass(frozen=True)
class RedactionLabel:
    code: str
    placeholder: str


POLICY_VERSION = "2026.1"
POLICY_HISTORY = [
    ("2026.1", "First published policy: four reasons to decline, six reasons to edit, one reason to pause."),
]

DECLINE_REASONS = (
    PolicyReason(
        "not_personal_account",
        ReasonKind.DECLINE,
        "Not a personal account of mental-health experience",
        "For example spam, advertising, or a post that is not anyone's own experience of mental health.",
    ),
    PolicyReason(
        "duplicate",
        ReasonKind.DECLINE,
        "A duplicate of the same person's story",
        "The same person has already shared this story. The first one stays.",
    ),
    PolicyReason(
        "unlawful_uneditable",
        ReasonKind.DECLINE,
        "Unlawful content that editing cannot remove",
        "Content that would be against the law to publish, where removing a few words would not be enough.",
    ),
    PolicyReason(
        "no_valid_consent",
        ReasonKind.DECLINE,
        "No valid consent",
        "For example, someone else's story told without their agreement.",
    ),
)

EDIT_REASONS = (
    PolicyReason(
        "identifies_third_party",
        ReasonKind.EDIT,
        "Identifies someone else",
        "Names, dates or places that would let readers work out who another person is.",
        default_label="name",
        identifying_detail=True,
    ),
    PolicyReason(
        "identifies_contributor",
        ReasonKind.EDIT,
        "Identifies you more than you chose",
        "Details that would show who you are beyond the level of identity you chose when you shared.",
        default_label="detail",
        identifying_detail=True,
    ),
    PolicyReason(
        "contact_details",
        ReasonKind.EDIT,
        "Contact details",
        "Phone numbers, email or home addresses, social media handles.",
        default_label="contact",
        identifying_detail=True,
    ),
    PolicyReason(
        "method_detail",
        ReasonKind.EDIT,
        "Method detail of self-harm or suicide",
        "Only the detail of a method is removed. What happened and how it felt stays.",
        default_label="method",
    ),
    PolicyReason(
        "allegation_identifiable",
        ReasonKind.EDIT,
        "A specific allegation against someone who can be identified",
        "We remove what identifies the person, so the experience can still be told.",
        default_label="name",
    ),
    PolicyReason(
        "slur",
        ReasonKind.EDIT,
        "A slur against a group of people",
        "Words that attack people for who they are. Swearing is not a slur and is never removed.",
        default_label="slur",
    ),
)

PAUSE_REASONS = (
    PolicyReason(
        "current_risk",
        ReasonKind.PAUSE,
        "Current risk disclosed",
        "The story tells us someone may be at risk now. We pause publication and follow our safeguarding route. "
        "This is not a decline: the story can still be published.",
    ),
)

# Never grounds to decline or edit (the charter, section 2).
NEVER_GROUNDS = (
    "Criticism of services, staff who cannot be identified, treatments, medication, diagnosis or psychiatry.",
    'Rejecting the word "recovery".',
    "Experiences others find unusual (hearing voices, visions, unusual beliefs), told in your own terms.",
    "Anger, despair, ongoing distress, or a story without a happy ending.",
    "Swearing, informal language, spelling, or writing in any language.",
    "Political or religious views.",
    "Criticism of the organisation that runs Voicebox.",
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
