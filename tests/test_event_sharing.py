"""Sharing at an event on a shared device (issue 16): staff and peer workers create an event in the admin, its link
opens the normal share flow for one person at a time, the device keeps nothing between people, the link closes
itself after the end date, and a story remembers its event privately (counted per event in the admin, by channel
only in the public report)."""

import datetime

import pytest
from django.utils import timezone

from contributions.models import EventStory, HeldUpload, SharingEvent, new_event_token
from moderation.erasure import erase_story
from moderation.models import Contribution
from moderation.report import build_report
from tests import sharing
from tests.moderators import make_user, moderator, peer_moderator, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}  # Wagtail answers 403 (not a redirect) to script requests
ADD_URL = "/admin/snippets/contributions/sharingevent/add/"
LIST_URL = "/admin/snippets/contributions/sharingevent/"


def an_event(**overrides) -> SharingEvent:
    today = timezone.localdate()
    fields = {
        "name": "Recovery College open day",
        "starts_on": today,
        "ends_on": today,
        "place": "Recovery College café",
        "facilitator": "Pat, peer worker",
        **overrides,
    }
    return SharingEvent.objects.create(**fields)


def share_at_event(client, event: SharingEvent, **choices) -> tuple[Contribution, str]:
    """One person's turn: start afresh from the event's link, share a written story, read the done page."""
    assert client.post(event.get_absolute_url()).url == "/share/"
    fields = sharing.fill_in(client, choices=sharing.choice_answers(**choices))
    assert client.post("/share/check/", fields).status_code == 302
    done = client.get("/share/done/").content.decode()
    return Contribution.objects.get(idempotency_key=fields["token"]), done


def event_form(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "name": "Hearing voices workshop",
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=1)).isoformat(),
        "place": "Town hall, room 2",
        "facilitator": "The peer support team",
        **overrides,
    }


@pytest.mark.parametrize("make", [moderator, peer_moderator])
def test_staff_and_peer_workers_create_an_event_with_its_own_unguessable_link(make):
    staff = sign_in(make())
    response = staff.post(ADD_URL, event_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    event = SharingEvent.objects.get()
    assert len(event.token) >= 24 and event.get_absolute_url() == f"/share/event/{event.token}/"
    assert event.get_absolute_url() in staff.get(LIST_URL).content.decode()  # the link to open on the device


def test_an_event_cannot_end_before_it_starts():
    today = timezone.localdate()
    response = sign_in(moderator()).post(ADD_URL, event_form(ends_on=(today - datetime.timedelta(days=1)).isoformat()))
    assert response.status_code == 200
    assert "The event can&#x27;t end before it starts." in response.content.decode()
    assert not SharingEvent.objects.exists()


def test_only_staff_and_peer_workers_may_create_events_and_only_staff_delete_them():
    from moderation import roles

    researcher = sign_in(make_user("rae", roles.RESEARCHERS, "Editors"))
    assert researcher.get(ADD_URL, **XHR).status_code == 403
    assert researcher.post(ADD_URL, event_form(), **XHR).status_code == 403
    assert not SharingEvent.objects.exists()

    event = an_event()
    delete_url = f"/admin/snippets/contributions/sharingevent/delete/{event.pk}/"
    assert sign_in(peer_moderator()).post(delete_url, **XHR).status_code == 403
    assert sign_in(moderator()).post(delete_url).status_code == 302
    assert not SharingEvent.objects.exists()


def test_the_event_link_welcomes_never_cached_and_not_indexed(client):
    event = an_event()
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Share your story at Recovery College open day" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert client.get("/share/event/not-a-real-event-token-000/").status_code == 404


def test_the_event_link_answers_a_kind_not_started_page_before_its_start_date(client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    event = an_event(starts_on=tomorrow, ends_on=tomorrow)
    for response in (client.get(event.get_absolute_url()), client.post(event.get_absolute_url())):
        assert response.status_code == 403 and "no-store" in response["Cache-Control"]
        html = response.content.decode()
        assert "This event hasn't started yet" in html and "Recovery College open day" in html
        assert 'href="/share/"' in html and "Samaritans" in html
    assert "share_event" not in client.session  # the early link started nothing

    on_its_first_day = an_event(starts_on=timezone.localdate(), ends_on=tomorrow)
    assert client.get(on_its_first_day.get_absolute_url()).status_code == 200


def test_the_event_link_answers_a_kind_410_after_its_end_date(client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    event = an_event(starts_on=yesterday - datetime.timedelta(days=2), ends_on=yesterday)
    for response in (client.get(event.get_absolute_url()), client.post(event.get_absolute_url())):
        assert response.status_code == 410
        html = response.content.decode()
        assert "This event has ended" in html and "your private link and your key card still work" in html
    assert "share_event" not in client.session  # the ended event started nothing

    on_its_last_day = an_event(ends_on=timezone.localdate())
    assert client.get(on_its_last_day.get_absolute_url()).status_code == 200


def test_each_person_shares_in_turn_and_the_device_keeps_nothing_between_them(client):
    event = an_event()
    first, done = share_at_event(client, event, display_name="Wrenna Quill")
    assert first.channel == Contribution.Channel.EVENT
    assert EventStory.objects.get(contribution=first).event == event
    assert 'href="/share/event/card/"' in done and "start again for the next person" in done
    assert "/my-story/" in done and 'href="http://testserver/my-story/' not in done  # shown, not put in history
    card = client.get("/share/event/card/")
    assert card.status_code == 200 and "no-store" in card["Cache-Control"]
    assert "Your key card" in card.content.decode()
    assert 'href="/my-story/' not in card.content.decode()  # nothing there puts the key in the device's history

    # The session was flushed at the submit: nothing of their's answers is left, only the event and the card's key.
    assert set(client.session.keys()) == {"share_event", "share_event_card_key"}
    assert client.get("/share/done/").content.decode().count("/my-story/") == 0  # the key was shown once

    session_id = client.cookies["sessionid"].value
    assert client.post(event.get_absolute_url()).url == "/share/"
    assert client.cookies["sessionid"].value != session_id  # a new session for the next person
    assert set(client.session.keys()) == {"share_event"}
    assert client.get("/share/event/card/").url == "/share/done/"  # their card is gone
    assert "Wrenna Quill" not in client.get("/share/choices/", follow=True).content.decode()

    second, _ = share_at_event(client, event, display_name="Alex Moor")
    assert second.channel == Contribution.Channel.EVENT and second.pk != first.pk
    assert event.stories_shared() == 2


def test_a_recording_is_held_for_its_person_only(client, tmp_path):
    from tests.media_factory import mediarecorder_webm

    event = an_event()
    client.post(event.get_absolute_url())
    client.post("/share/", {"method": "record"})
    recording = sharing.upload(mediarecorder_webm(tmp_path / "take.webm"), content_type="audio/webm")
    client.post("/share/story/", {**sharing.story_answers(text=None), "media": recording})
    assert HeldUpload.objects.count() == 1
    # They walk away; the facilitator starts afresh for the next person: the recording is erased at once.
    client.post(event.get_absolute_url())
    assert not HeldUpload.objects.exists()
    assert client.get("/share/recording/").status_code == 404


def test_the_event_is_forgotten_with_the_story_and_the_report_counts_events_by_channel_only(client):
    event = an_event(name="Ward 7 listening day")
    first, _ = share_at_event(client, event)
    share_at_event(client, event)
    report = build_report()
    assert report.all_stories.channels[Contribution.Channel.EVENT] == 2
    page = client.get("/moderation/report/").content.decode()
    assert "Received: Shared at an event" in page and "Ward 7" not in page

    erase_story(first)
    assert EventStory.objects.filter(event=event).count() == 1
    assert build_report().all_stories.channels[Contribution.Channel.EVENT] == 2  # the audit log still counts it


def test_the_admin_lists_how_many_stories_each_event_received(client):
    event = an_event(name="Ward 7 listening day")
    share_at_event(client, event)
    share_at_event(client, event)
    an_event(name="Allotment afternoon")
    listing = sign_in(peer_moderator()).get(LIST_URL).content.decode()
    assert "Ward 7 listening day" in listing and "Allotment afternoon" in listing
    assert "Stories shared" in listing


def test_guessing_event_links_spends_the_same_budget_as_guessing_story_keys(client):
    event = an_event()
    statuses = [client.get(f"/share/event/{new_event_token()}/").status_code for _ in range(20)]
    assert statuses == [404] * 20
    assert client.get("/my-story/Qz7-not-anybodys-key-Wq/").status_code == 429  # the 21st wrong secret address
    assert client.get(f"/share/event/{event.token}/").status_code == 429
