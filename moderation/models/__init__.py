from .audit import AuditEvent
from .consent import ConsentRecord, ConsentText
from .contributions import Contribution, StoryStatus

__all__ = ["AuditEvent", "ConsentRecord", "ConsentText", "Contribution", "StoryStatus"]
