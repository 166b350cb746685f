"""The charter test: a story sharply criticising a (non-identifiable) service and its treatment, with swearing, is
published as written. No decline reason fits it, and it shows up in the report's critical-of-services column."""

import html
import re

import pytest
from django.core.cache import cache

from moderation import policy
from moderation.models import Contribution, Decision, StoryStatus
from stories.models import StoryPage
from tests import sharing
from tests.factories import site_tree
from tests.moderators import action_url, moderator, sign_in
from tests.workers import run_queue

# The heart of moderation runs again on PostgreSQL with the Redis/RQ queue (tests/run_suite.py).
pytestmark = [pytest.mark.django_db, pytest.mark.production_parts]

CRITICAL_STORY = (
    "The crisis team were fucking useless. They shoved pills at me, upped the dose every time I complained, and "
    "called it treatment.\n\n"
    'Psychiatry never once asked what had happened to me. "Recovery" is their word, not mine. I\'m still angry, '
    "I'm still not well, and this place and its so-called care made it worse. Shit service, start to finish."
)


def test_a_critical_angry_story_with_swearing_is_published_as_written(client, django_capture_on_commit_callbacks):
    cache.clear()
    site_tree()
    answers = sharing.choice_answers(minimal_edits="no", identity="anonymous", display_name="")
    fields = sharing.fill_in(
        client, story=sharing.story_answers(title="Their word, not mine", text=CRITICAL_STORY), choices=answers
    )
    assert client.post("/share/check/", fields).status_code == 302
    contribution = Contribution.objects.get()

    mo = sign_in(moderator())
    review = html.unescape(mo.get(f"/admin/moderation/story/{contribution.pk}/").content.decode())
    assert "fucking useless" in review
    # Nothing on the decline list is about criticism, anger, treatment or language: those are never grounds.
    decline_choices = re.findall(r'<option value="([a-z_]+)"', review.split('data-action="propose_decline"')[1])
    assert decline_choices[: len(policy.DECLINE_REASONS)] == [r.code for r in policy.DECLINE_REASONS]
    never = " ".join(policy.NEVER_GROUNDS).lower()
    for ground in ("criticism of services", "treatments", "medication", "psychiatry", "recovery", "anger", "swearing"):
        assert ground in never
    for reason in policy.DECLINE_REASONS:
        text = f"{reason.title} {reason.explanation}".lower()
        assert not any(word in text for word in ("critic", "swear", "offensive", "tone", "negative", "angry"))

    assert mo.post(f"/admin/moderation/story/{contribution.pk}/critical/", {"critical": "yes"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert mo.post(action_url(contribution, "publish")).status_code == 302
    run_queue("publication")

    contribution.refresh_from_db()
    story = StoryPage.objects.get()
    assert contribution.status == StoryStatus.PUBLISHED and story.live
    assert not Decision.objects.exists()
    assert story.paragraphs == [paragraph.strip() for paragraph in CRITICAL_STORY.split("\n\n")]
    public = html.unescape(client.get(story.url).content.decode())
    for words in ("fucking useless", "Shit service, start to finish", '"Recovery" is their word, not mine'):
        assert words in public

    report = client.get("/moderation/report/").content.decode()
    published = re.search(r'<tr data-row="published"[^>]*><th scope="row">[^<]*</th>((?:<td>[^<]*</td>)+)</tr>', report)
    assert re.findall(r"<td>([^<]*)</td>", published[1]) == ["1", "1", "0", "0"]  # flagged, not marked by its author
