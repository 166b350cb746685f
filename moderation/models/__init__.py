from .audit import AuditEvent
from .consent import ConsentRecord, ConsentText
from .contributions import STATUS_EXPLANATIONS, Contribution, HeldUpload, StoryStatus, WithdrawnStoryKey

__all__ = [
    "STATUS_EXPLANATIONS",
    "AuditEvent",
    "ConsentRecord",
    "ConsentText",
    "Contribution",
    "HeldUpload",
    "StoryStatus",
    "WithdrawnStoryKey",
]
