"""Which event a shared device is sharing at, kept in its session, and starting afresh for the next person there.

Starting afresh flushes the whole session (a new session id, nothing carried over) and then remembers only the
event, so the share flow marks the next story as shared there (see views/event.py for the pages).
"""

from .models import SharingEvent

# The event the device is sharing at (its pk), and the key of the person who has just shared, for their key card.
SESSION_EVENT = "share_event"
SESSION_CARD_KEY = "share_event_card_key"


def event_in_session(session) -> SharingEvent | None:
    """The event this device is sharing at. A person who started before its end may still finish after it."""
    event_id = session.get(SESSION_EVENT)
    return SharingEvent.objects.filter(pk=event_id).first() if event_id else None


def start_afresh(request, event: SharingEvent, *, card_key: str = "") -> None:
    """Forget everything about the person before; remember only the event (and their card's key, when given)."""
    request.session.flush()
    request.session[SESSION_EVENT] = event.pk
    if card_key:
        request.session[SESSION_CARD_KEY] = card_key
