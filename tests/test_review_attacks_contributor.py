"""Attacks on the contributor's own paths (/my-story/<key>/...): a key opens only its story's pages, and nothing a
contributor does there publishes words no moderator approved (the charter: only moderation's publication path
publishes); bad input is a 4xx, never a 500."""

import pytest
from django.test import Client

from moderation import hiding
from moderation.models import StoryStatus
from tests.moderators import make_user, sign_in
from tests.public_site import media
from tests.test_change_choices import answers, published_recording

pytestmark = pytest.mark.django_db

UNREVIEWED = "Words a moderator has not read yet"


def draft_with_new_words(contribution) -> None:
    """A moderator saves (does not publish) a revision of the published story with new words, as the Wagtail editor
    does."""
    draft = contribution.story.specific.get_latest_revision_as_object()
    draft.title = UNREVIEWED
    draft.save_revision(log_action=False)


def test_changing_choices_does_not_publish_a_draft_no_moderator_published(client, django_capture_on_commit_callbacks):
    contribution = published_recording(django_capture_on_commit_callbacks)
    draft_with_new_words(contribution)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my-story/{contribution.key}/choices/", answers(identity="anonymous"))
    assert response.status_code == 302
    story = contribution.story.specific
    story.refresh_from_db()
    assert story.live and story.display_name == "" and story.title != UNREVIEWED
    assert UNREVIEWED not in client.get(story.url).content.decode()
    # The draft is kept, with the narrower name, for a moderator to publish through the workflow.
    draft = story.get_latest_revision_as_object()
    assert draft.title == UNREVIEWED and draft.display_name == ""
    assert hiding.words_changed_since_published(story)


@pytest.mark.parametrize(
    "code",
    ["%00", "%E2%80%AE" * 5, "ü" * 28, "a" * 5000, "..%2F..%2Fadmin", "ABCD-EFGH-" * 3, "%F0%9F%98%80" * 40, "-" * 43],
)
def test_odd_keys_and_codes_are_a_404_never_a_500(code):
    client = Client(raise_request_exception=False)
    for tail in ("", "choices/", "put-back/", "take-down/", "reply/", "card/"):
        assert client.get(f"/my-story/{code}/{tail}").status_code in (400, 404)
        assert client.post(f"/my-story/{code}/{tail}").status_code in (400, 403, 404)


def test_put_back_and_take_down_refuse_without_csrf_token(django_capture_on_commit_callbacks):
    contribution = published_recording(django_capture_on_commit_callbacks)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/my-story/{contribution.key}/take-down/").status_code == 403
    assert strict.post(f"/my-story/{contribution.key}/choices/", answers(identity="anonymous")).status_code == 403
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED


@pytest.mark.parametrize(
    "status",
    [StoryStatus.DECLINED, StoryStatus.PAUSED, StoryStatus.EXPIRED, StoryStatus.APPEAL, StoryStatus.IN_MODERATION],
)
def test_put_back_does_not_republish_a_story_moderation_took_down(client, django_capture_on_commit_callbacks, status):
    contribution = published_recording(django_capture_on_commit_callbacks)
    contribution.status = status
    contribution.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{contribution.key}/put-back/").status_code == 409
    contribution.refresh_from_db()
    assert contribution.status == status


def test_put_back_sends_a_draft_with_another_recording_to_a_moderator(client, django_capture_on_commit_callbacks):
    contribution = published_recording(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{contribution.key}/take-down/").status_code == 302
    draft = contribution.story.specific.get_latest_revision_as_object()
    draft.media = media("audio")
    draft.save_revision(log_action=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{contribution.key}/put-back/").status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.IN_MODERATION and not contribution.story.live


def test_a_researcher_cannot_open_assisted_sharing(client):
    sign_in(make_user("rita", "Researchers"), client)
    for path in ("", "done/", "card/", "in-person/", "by-phone/"):
        assert client.get(f"/admin/share-with-someone/{path}").status_code in (302, 403, 404)
        assert client.post(f"/admin/share-with-someone/{path}").status_code in (302, 403, 404)


@pytest.mark.parametrize("token", ["%00", "x" * 5000, "ü" * 24, "..%2F", "%F0%9F%98%80"])
def test_odd_event_and_lost_link_tokens_are_a_4xx(token):
    client = Client(raise_request_exception=False)
    assert client.get(f"/share/event/{token}/").status_code == 404
    assert client.post(f"/share/event/{token}/").status_code == 404
    assert client.get(f"/my-story/lost-link/{token}/").status_code in (400, 404)
    assert client.post(f"/my-story/lost-link/{token}/").status_code in (400, 404)


def test_replying_on_a_published_story_is_refused_and_keeps_the_words(client, django_capture_on_commit_callbacks):
    contribution = published_recording(django_capture_on_commit_callbacks)
    response = client.post(f"/my-story/{contribution.key}/reply/", {"reply-message": "Please look again"})
    assert response.status_code == 409 and "Please look again" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED


def test_take_down_and_put_back_while_publication_is_queued_are_refused(client, django_capture_on_commit_callbacks):
    contribution = published_recording(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{contribution.key}/take-down/").status_code == 302
    assert client.post(f"/my-story/{contribution.key}/put-back/").status_code == 302  # queued, not yet run
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHING
    assert client.post(f"/my-story/{contribution.key}/take-down/").status_code == 409
    assert client.post(f"/my-story/{contribution.key}/put-back/").status_code == 409
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHING


def test_a_crafted_post_cannot_widen_choices_at_once(client, django_capture_on_commit_callbacks):
    contribution = published_recording(
        django_capture_on_commit_callbacks, name="", media_use="transcript", audience="researchers"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/my-story/{contribution.key}/choices/",
            answers(audience="public", identity="pseudonym", display_name="Sam Rivers", media_use="media"),
        )
    assert response.status_code == 302 and response["Location"].endswith("?done=waiting")
    consent = contribution.consents.order_by("-pk").first()
    assert (consent.audience, consent.identity, consent.media_use) == ("researchers", "anonymous", "transcript")
    story = contribution.story.specific
    story.refresh_from_db()
    assert story.display_name == "" and not story.show_media
    assert contribution.choice_changes.get().status == "waiting"
