"""Change your choices at /my-story/<key>/choices/: each change is a new consent record against the current consent
text; what narrows applies at once everywhere (page, byline, media, feeds, API, caches purged); what widens waits for a
moderator's light decision."""

import pytest
from django.core.cache import cache

from moderation import choices as choice_changes
from moderation import workflows
from moderation.models import AuditEvent, ChoicesChange, ConsentRecord, ConsentText, StoryStatus
from research.corpus import research_contributions
from stories.links import published_media_url
from tests.factories import ConsentRecordFactory, ContributionFactory, StoryPageFactory, site_tree
from tests.moderators import action_url, make_user, moderator, sign_in
from tests.public_site import media
from tests.workers import run_queue

pytestmark = pytest.mark.django_db

Identity, Audience, MediaUse = ConsentRecord.Identity, ConsentRecord.Audience, ConsentRecord.MediaUse


def published_recording(capture, *, name: str = "Sam Rivers", **consent):
    """An audio story published through the real workflow and publication task, named and with its recording."""
    index = site_tree()[1]
    story = StoryPageFactory(parent=index, story_format="audio", media=media("audio"), display_name=name)
    contribution = ContributionFactory(story=story)
    defaults = {"identity": Identity.PSEUDONYM if name else Identity.ANONYMOUS, "audience": Audience.BOTH}
    ConsentRecordFactory(contribution=contribution, research_use=True, **{**defaults, **consent})
    workflows.start_moderation(contribution)
    with capture(execute=True):
        assert sign_in(make_user("first", "Moderators")).post(action_url(contribution, "publish")).status_code == 302
    run_queue("publication")
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED
    return contribution


def answers(**overrides) -> dict:
    base = {
        "consent_version": ConsentText.current().version_hash,
        "audience": "both",
        "identity": "pseudonym",
        "display_name": "Sam Rivers",
        "media_use": "media",
        "expires_on": "",
        "minimal_edits": "no",
        "agree": "on",
    }
    return {name: value for name, value in {**base, **overrides}.items() if value is not None}


def public_view(client, story) -> dict:
    story.refresh_from_db()
    cache.clear()
    page = client.get(story.url)
    api = client.get(f"/api/v2/stories/{story.pk}/")
    return {
        "page": page.content.decode() if page.status_code == 200 else page.status_code,
        "api": api.json() if api.status_code == 200 else api.status_code,
        "feed": client.get("/feeds/stories/").content.decode(),
        "podcast": client.get("/feeds/podcast/").content.decode(),
    }


def test_the_page_shows_the_choices_as_they_stand_and_asks_to_agree_again(client, django_capture_on_commit_callbacks):
    contribution = published_recording(django_capture_on_commit_callbacks)
    url = f"/my-story/{contribution.key}/choices/"

    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert 'value="both" id="id_audience_0" checked' in html and 'value="Sam Rivers"' in html
    assert 'id="id_agree"' in html and "checked" not in html.split('id="id_agree"')[0].rsplit("<input", 1)[1]
    assert f'href="{url}"' in client.get(f"/my-story/{contribution.key}/").content.decode()

    refused = client.post(url, answers(agree=None, identity="anonymous"))
    assert refused.status_code == 400 and "Tick the box to say you agree" in refused.content.decode()
    assert contribution.consents.count() == 1
    assert client.get("/my-story/not-a-key/choices/").status_code == 404


def test_narrowing_removes_the_name_and_the_recording_everywhere_at_once(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    contribution = published_recording(django_capture_on_commit_callbacks)
    story = contribution.story.specific
    before = public_view(client, story)
    media_address = published_media_url(story)
    assert "Sam Rivers" in before["page"] and before["api"]["byline"] == "Sam Rivers"
    assert before["api"]["media_url"] and "Sam Rivers" in before["feed"] and media_address in before["podcast"]
    assert client.get(media_address).status_code == 200
    purged = []
    monkeypatch.setattr(choice_changes, "purge", purged.extend)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/my-story/{contribution.key}/choices/",
            answers(identity="anonymous", display_name="", media_use="transcript"),
        )

    assert response.status_code == 302 and response["Location"].endswith("?done=applied")
    after = public_view(client, story)
    assert "Sam Rivers" not in after["page"] and "Anonymous" in after["page"]
    assert after["api"]["byline"] == "Anonymous" and after["api"]["media_url"] is None
    assert "Sam Rivers" not in after["feed"] and f"story-{story.pk}<" not in after["podcast"]
    assert client.get(media_address).status_code == 404
    assert not story.media.published_file
    assert any(url.endswith(story.url) for url in purged) and any(media_address in url for url in purged)
    # A new consent record, against the current consent text, with the audit step in words.
    latest = contribution.consents.first()
    assert contribution.consents.count() == 2
    assert (latest.identity, latest.media_use) == (Identity.ANONYMOUS, MediaUse.TRANSCRIPT_ONLY)
    assert latest.text_version_hash == ConsentText.current().version_hash
    assert AuditEvent.objects.filter(story_ref=story.pk, action=AuditEvent.Action.CHOICES_CHANGED).exists()
    assert not ChoicesChange.objects.exists()


def test_researchers_only_takes_the_story_off_the_public_site_and_out_of_research_when_research_is_refused(
    client, django_capture_on_commit_callbacks
):
    contribution = published_recording(django_capture_on_commit_callbacks)
    story = contribution.story.specific
    url = f"/my-story/{contribution.key}/choices/"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, answers(audience="researchers"))
    after = public_view(client, story)
    assert after["page"] in (302, 403, 404) and after["api"] == 404  # sent to sign in, as researchers do
    assert story.title not in after["feed"]
    assert contribution.pk in set(research_contributions().values_list("pk", flat=True))

    # Everyone again is wider: it waits for a moderator, and the story stays researchers only meanwhile.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, answers(audience="public"))
    assert response["Location"].endswith("?done=waiting")
    assert public_view(client, story)["api"] == 404
    assert "A moderator is checking the changes" in client.get(url).content.decode()


def test_widening_waits_for_a_moderator_who_approves_it(client, django_capture_on_commit_callbacks):
    contribution = published_recording(django_capture_on_commit_callbacks, name="")
    story = contribution.story.specific
    url = f"/my-story/{contribution.key}/choices/"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, answers(display_name="Priya", minimal_edits="yes"))

    assert response["Location"].endswith("?done=waiting")
    assert public_view(client, story)["api"]["byline"] == "Anonymous"
    # What narrows or changes nothing public (small edits) applied at once; the name waits.
    assert contribution.consents.first().minimal_edits_preauthorised is True
    assert contribution.consents.first().identity == Identity.ANONYMOUS
    change = ChoicesChange.objects.get(status=ChoicesChange.Status.WAITING)
    assert AuditEvent.objects.filter(story_ref=story.pk, action=AuditEvent.Action.CHOICES_TO_CHECK).exists()

    staff = sign_in(moderator("lead"))
    queue = staff.get("/admin/moderation/choices/")
    assert queue.status_code == 200 and story.title in queue.content.decode() and "Priya" in queue.content.decode()
    assert client.get("/admin/moderation/choices/").status_code == 302  # not for the public
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(f"/admin/moderation/choices/{change.pk}/", {"decision": "approve"}).status_code == 302

    assert public_view(client, story)["api"]["byline"] == "Priya"
    latest = contribution.consents.first()
    assert (latest.identity, contribution.consents.count()) == (Identity.PSEUDONYM, 3)
    assert AuditEvent.objects.filter(story_ref=story.pk, action=AuditEvent.Action.CHOICES_APPROVED).exists()


def test_a_declined_widening_changes_nothing_public(client, django_capture_on_commit_callbacks):
    contribution = published_recording(django_capture_on_commit_callbacks, media_use=MediaUse.TRANSCRIPT_ONLY)
    story = contribution.story.specific
    assert public_view(client, story)["api"]["media_url"] is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-story/{contribution.key}/choices/", answers(media_use="media"))
    change = ChoicesChange.objects.get()

    staff = sign_in(moderator("lead"))
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/admin/moderation/choices/{change.pk}/", {"decision": "decline"})

    change.refresh_from_db()
    assert change.status == ChoicesChange.Status.DECLINED and change.decided_by.username == "lead"
    assert public_view(client, story)["api"]["media_url"] is None
    assert AuditEvent.objects.filter(story_ref=story.pk, action=AuditEvent.Action.CHOICES_DECLINED).exists()


def test_a_widened_recording_is_published_again_through_the_publication_task(
    client, django_capture_on_commit_callbacks
):
    contribution = published_recording(django_capture_on_commit_callbacks, media_use=MediaUse.TRANSCRIPT_ONLY)
    story = contribution.story.specific
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-story/{contribution.key}/choices/", answers(media_use="media"))
    change = ChoicesChange.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(moderator("lead")).post(f"/admin/moderation/choices/{change.pk}/", {"decision": "approve"})
    run_queue("publication")

    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED
    media_address = public_view(client, story)["api"]["media_url"]
    assert media_address and client.get(media_address).status_code == 200


def test_a_story_not_yet_published_keeps_the_change_for_its_publication(client, django_capture_on_commit_callbacks):
    site_tree()
    contribution = ContributionFactory(story=StoryPageFactory(parent=site_tree()[1], display_name="Sam"))
    ConsentRecordFactory(contribution=contribution, identity=Identity.PSEUDONYM)
    workflows.start_moderation(contribution)
    client.post(f"/my-story/{contribution.key}/choices/", answers(identity="anonymous", media_use=None))

    with django_capture_on_commit_callbacks(execute=True):
        sign_in(make_user("first", "Moderators")).post(action_url(contribution, "publish"))
    run_queue("publication")

    story = contribution.story.specific
    story.refresh_from_db()
    assert story.live and story.display_name == ""


def test_withdrawing_erases_a_waiting_change_with_the_name_it_asked_for(client, django_capture_on_commit_callbacks):
    contribution = published_recording(django_capture_on_commit_callbacks, name="")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-story/{contribution.key}/choices/", answers(display_name="Priya Only-Here"))
    assert ChoicesChange.objects.filter(display_name="Priya Only-Here").exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{contribution.key}/withdraw/").status_code == 302

    assert not ChoicesChange.objects.exists() and not ConsentRecord.objects.exists()
