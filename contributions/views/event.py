"""Sharing at an event, on a shared device: /share/event/<token>/ opens the normal share flow for one person at a
time, and the device keeps nothing between people.

    GET  /share/event/<token>/   the event's welcome, with "Start"; a kind "not started yet" (403) before its start
                                 date and "this event has ended" (410) after its end date
    POST /share/event/<token>/   start afresh for the next person: their answers, held recording and key are gone
    GET  /share/event/card/      the key card of the person who has just shared, until the next person starts

Starting afresh erases the held recording and flushes the session, remembering only the event (contributions.events),
so the share flow (views/share.py) marks the story as shared there. Sending a story flushes the session again,
keeping only the event and the new key for the done page and the card. Every page is
no-store, so Back shows the browser nothing from a previous person: it asks the server again, which has forgotten
them. The key card is opened from the session rather than by its /my-story/<key>/card/ address, so the key never
enters the device's history.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.exceptions import Ratelimited

from ..events import SESSION_CARD_KEY, start_afresh
from ..keys import guessing
from ..models import SharingEvent
from ..submission import held_media, release_upload
from .card import key_card
from .share import ShareFlow


@never_cache
@require_http_methods(["GET", "POST"])
def open_event(request, token: str):
    # An event's link is as secret as a story key (it opens sharing that staff expect only at the event): the same
    # budget of wrong guesses per client.
    if guessing(request, count=False):
        raise Ratelimited()
    event = SharingEvent.objects.filter(token=token).first()
    if event is None:
        if guessing(request, count=True):
            raise Ratelimited()
        raise Http404("No event matches this link.")
    if not event.has_started():
        return render(request, "contributions/share/event_not_started.html", {"event": event}, status=403)
    if event.is_over():
        return render(request, "contributions/share/event_ended.html", {"event": event}, status=410)
    if request.method == "POST":
        # A recording is held for the person who chose it only: erased now, not left for the sweeper.
        if media := held_media(ShareFlow(request).media_id):
            release_upload(media)
        start_afresh(request, event)
        return redirect("contributions:share")
    return render(request, "contributions/share/event.html", {"event": event})


@never_cache
def event_card(request):
    """The key card of the person who has just shared here; once the next person starts, it is gone."""
    key = request.session.get(SESSION_CARD_KEY)
    if not key:
        return redirect("contributions:share_done")
    return key_card(request, key=key, shared_device=True)
