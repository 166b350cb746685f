"""Take it down for now / put it back: from their private page the contributor unpublishes their story everywhere
without erasing it (page, feeds, API, search, themes, media, caches) and puts it back as it was, through the same
publication as a moderator's decision and without a new review, unless its words changed. Staff do the taking down
for a contributor who asks without their link, only with a note of who checked and how. Withdrawing still erases."""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from moderation.models import AuditEvent, Contribution, StoryStatus, TakedownOnRequest
from moderation.workflows import perform_action, start_moderation
from research.models import EmergingTheme, ThemeQuote
from stories.links import published_media_url
from stories.models import StoryIndexPage, StoryPage
from tests.factories import ConsentRecordFactory, ContributionFactory
from tests.moderators import moderator, peer_moderator, sign_in
from tests.public_site import build_site, media, theme
from tests.workers import run_queue

# Run as the site runs: only recorded decisions may publish or unpublish (stories.governance).
pytestmark = [pytest.mark.django_db, pytest.mark.ungoverned]

TITLE = "Quillon harbour mornings"
QUOTE = "The harbour kept me going."


class RecordingBackend(BaseBackend):
    """A frontend cache (CDN) that remembers what it was asked to forget."""

    purged: list[str] = []

    def purge(self, url):
        self.purged.append(url)


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    """A published audio story with a theme, published by a moderator's decision (the real workflow and worker)."""
    build_site()
    story = StoryPage(
        title=TITLE,
        slug="quillon",
        body=[("paragraph", f"{TITLE}, in my words.")],
        story_format="audio",
        media=media(),
        live=False,
    )
    StoryIndexPage.objects.get().add_child(instance=story)
    story.themes.add(theme("Waiting"))
    story.save_revision()
    contribution = ContributionFactory(story=story, email="sam@example.org")
    ConsentRecordFactory(contribution=contribution)
    start_moderation(contribution)
    with django_capture_on_commit_callbacks(execute=True):
        perform_action(story.current_workflow_task_state, moderator(), "publish")
    run_queue("publication")
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED
    return contribution


def public_places(client, story: StoryPage, media_url: str) -> dict[str, bool]:
    """Where the public can find the story: True for each place that shows it (`media_url`: where its recording was
    published)."""
    page = client.get(f"/stories/{story.slug}/")
    return {
        "page": page.status_code == 200,
        "index": TITLE in client.get("/stories/").content.decode(),
        "feed": f"story-{story.pk}</guid>" in client.get("/feeds/stories/").content.decode(),
        "podcast": f"story-{story.pk}</guid>" in client.get("/feeds/podcast/").content.decode(),
        "api": TITLE in client.get("/api/v2/stories/?fields=*").content.decode(),
        "api_detail": client.get(f"/api/v2/stories/{story.pk}/").status_code == 200,
        "search": TITLE in client.get("/search/", {"q": "Quillon"}).content.decode(),
        "theme": TITLE in client.get("/themes/waiting/").content.decode(),
        "emerging_theme_quote": QUOTE in client.get("/themes/").content.decode(),
        "media": client.get(media_url).status_code == 200,
    }


def report_row(client, key: str) -> list[str]:
    html = client.get("/moderation/report/").content.decode()
    cells = re.search(rf'<tr data-row="{key}"[^>]*>.*?</tr>', html, re.S).group(0)
    return re.findall(r"<td>([^<]*)</td>", cells)


def test_taken_down_for_now_is_gone_everywhere_kept_privately_and_put_back_without_review(
    client, published, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": "tests.test_take_down_for_now.RecordingBackend"}}
    RecordingBackend.purged.clear()
    contribution, key = published, published.key
    story = contribution.story.specific
    run_queue("default")  # the search index and meaning have the published story
    # Discovery (a later run than the worker's) quoted it in an emerging theme.
    quoted_in = EmergingTheme.objects.create(name="Being heard", story_count=3, public_story_count=3)
    ThemeQuote.objects.create(theme=quoted_in, story=story, text=QUOTE)
    media_url = published_media_url(story)
    assert all(public_places(client, story, media_url).values()), public_places(client, story, media_url)
    original = story.media.file.name

    private_page = client.get(f"/my-story/{key}/").content.decode()
    assert "Take it down for now" in private_page and "Withdraw my story" in private_page
    assert "nothing is erased" in client.get(f"/my-story/{key}/take-down/").content.decode().lower()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my-story/{key}/take-down/")
    assert response.status_code == 302 and response["Location"] == f"/my-story/{key}/"
    run_queue("default")  # the purges and index updates the unpublication queued

    contribution.refresh_from_db()
    story.refresh_from_db()
    assert contribution.status == StoryStatus.HIDDEN_BY_CONTRIBUTOR and not story.live
    assert not any(public_places(client, story, media_url).values()), public_places(client, story, media_url)
    # The frontend cache was asked to forget the page, the lists that showed it, its media and the feeds.
    purged = set(RecordingBackend.purged)
    assert {"http://localhost/stories/quillon/", "http://localhost/stories/", "http://localhost/"} <= purged
    assert any(f"/story-media/{story.pk}/" in url for url in purged)
    assert any(url.endswith("/feeds/podcast/") for url in purged)
    # Kept: the story, its original recording (private) and the contributor's page.
    assert StoryPage.objects.filter(pk=story.pk).exists() and story.media.file.name == original
    private_page = client.get(f"/my-story/{key}/").content.decode()
    assert "Taken down by you for now" in private_page and "Put it back" in private_page
    assert client.get(f"/my-story/{key}/recording/").status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.HIDDEN_BY_CONTRIBUTOR)
    assert event.story_ref == story.pk and event.actor_role == AuditEvent.Actor.CONTRIBUTOR
    # A second taking down (another tab) says why not, kindly, and changes nothing.
    again = client.post(f"/my-story/{key}/take-down/")
    assert again.status_code == 409 and "nothing to take down" in again.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my-story/{key}/put-back/")
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHING
    run_queue("publication")  # the same publication as a moderator's decision, under governance
    run_queue("default")
    contribution.refresh_from_db()
    story.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED and story.live
    assert not story.workflow_in_progress  # no new review: nothing changed
    media_url = published_media_url(story)  # a fresh published copy
    assert all(public_places(client, story, media_url).values()), public_places(client, story, media_url)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PUT_BACK, actor_role="contributor").count() == 1
    assert client.post(f"/my-story/{key}/put-back/").status_code == 409
    assert report_row(client, "hidden_by_contributor")[0] == "1" and report_row(client, "put_back")[0] == "1"


def test_a_story_whose_words_changed_goes_back_through_review(client, published, django_capture_on_commit_callbacks):
    key = published.key
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-story/{key}/take-down/")
    story = published.story.specific.get_latest_revision_as_object()
    story.body = [("paragraph", "Other words now.")]
    story.save_revision(log_action=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my-story/{key}/put-back/")
    assert response.status_code == 302
    published.refresh_from_db()
    page = published.story.specific
    assert published.status == StoryStatus.IN_MODERATION and page.workflow_in_progress and not page.live
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PUT_BACK).count() == 1


def test_put_back_publishes_the_story_as_it_was_not_a_newer_draft(
    client, published, django_capture_on_commit_callbacks
):
    key = published.key
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-story/{key}/take-down/")
    # While it is down, a draft changes something other than its words (here the language it is marked as, which
    # decides how screen readers speak it): nobody approved that.
    draft = published.story.specific.get_latest_revision_as_object()
    was = draft.language
    draft.language = "cy"
    draft.save_revision(log_action=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/my-story/{key}/put-back/").status_code == 302
    run_queue("publication")

    page = StoryPage.objects.get(pk=published.story_id)
    assert page.live and page.language == was != "cy"
    assert 'class="story-body" lang="en"' in client.get(page.url).content.decode()


def test_a_story_whose_end_date_passed_while_down_stays_down(client, published, django_capture_on_commit_callbacks):
    key = published.key
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-story/{key}/take-down/")
    published.consents.update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert "end date you chose" in client.get(f"/my-story/{key}/put-back/").content.decode()
    assert client.post(f"/my-story/{key}/put-back/").status_code == 409
    published.refresh_from_db()
    assert published.status == StoryStatus.HIDDEN_BY_CONTRIBUTOR and not published.story.live


def test_a_story_taken_down_for_now_can_still_be_withdrawn_and_erased(
    client, published, django_capture_on_commit_callbacks
):
    key = published.key
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my-story/{key}/take-down/")
        assert client.post(f"/my-story/{key}/withdraw/").status_code == 302
    assert not Contribution.objects.exists() and not StoryPage.objects.exists()
    assert "withdrawn and erased" in client.get(f"/my-story/{key}/").content.decode()


def test_only_a_published_story_can_be_taken_down_for_now(client, story_index):
    contribution = ContributionFactory()  # still being reviewed
    response = client.post(f"/my-story/{contribution.key}/take-down/")
    assert response.status_code == 409 and "nothing to take down" in response.content.decode()
    assert client.get(f"/my-story/{contribution.key}/put-back/").status_code == 200
    assert client.post(f"/my-story/{contribution.key}/put-back/").status_code == 409
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.IN_MODERATION
    assert "Take it down for now" not in client.get(f"/my-story/{contribution.key}/").content.decode()


def test_staff_take_a_story_down_on_request_only_with_a_note_of_the_check(client, published):
    url = f"/admin/moderation/story/{published.pk}/take-down-on-request/"
    staff_user = moderator("lead")
    staff = sign_in(staff_user)
    assert "take-down-on-request" in staff.get(f"/admin/moderation/story/{published.pk}/").content.decode()

    peer = sign_in(peer_moderator("peer"))
    assert peer.get(url).status_code == 403
    assert peer.post(url, {"how_checked": "They said so."}).status_code == 403

    assert "How did you check" in staff.get(url).content.decode()
    refused = staff.post(url, {"how_checked": "  "})
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    published.refresh_from_db()
    assert published.status == StoryStatus.PUBLISHED

    note = "Phoned back on the number they gave; they described the story's second paragraph."
    assert staff.post(url, {"how_checked": note}).status_code == 302
    published.refresh_from_db()
    assert published.status == StoryStatus.HIDDEN_BY_CONTRIBUTOR and not published.story.live
    recorded = TakedownOnRequest.objects.get()
    assert recorded.checked_by == staff_user and recorded.how_checked == note
    event = AuditEvent.objects.get(action=AuditEvent.Action.HIDDEN_ON_REQUEST)
    assert event.actor_role == AuditEvent.Actor.MODERATOR and event.story_ref == published.story_id
    assert client.get(f"/stories/{published.story.slug}/").status_code == 404
    assert "checked by" in staff.get(url).content.decode()  # the check stays on record for staff
    assert staff.post(url, {"how_checked": note}).status_code == 400  # not on the site: nothing to take down
    # The contributor (once they have a link again) can put it back themselves.
    assert "Put it back" in client.get(f"/my-story/{published.key}/").content.decode()
