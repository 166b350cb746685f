from .audit import AuditEvent
from .choices import ChoicesChange
from .consent import ConsentRecord, ConsentText, PaperScan
from .contributions import STATUS_EXPLANATIONS, Contribution, StoryStatus, WithdrawnStoryKey
from .decisions import (
    Appeal,
    ContributorReply,
    CriticalOfServicesFlag,
    Decision,
    EditProposal,
    Redaction,
    SafeguardingConcern,
)
from .on_request import TakedownOnRequest
from .publication import Publication
from .tasks import ConsentCheckTask, ModerationTask, ModerationTaskState

__all__ = [
    "STATUS_EXPLANATIONS",
    "Appeal",
    "AuditEvent",
    "ChoicesChange",
    "ConsentCheckTask",
    "ConsentRecord",
    "ConsentText",
    "Contribution",
    "ContributorReply",
    "CriticalOfServicesFlag",
    "Decision",
    "EditProposal",
    "ModerationTask",
    "ModerationTaskState",
    "PaperScan",
    "Publication",
    "Redaction",
    "SafeguardingConcern",
    "StoryStatus",
    "TakedownOnRequest",
    "WithdrawnStoryKey",
]
