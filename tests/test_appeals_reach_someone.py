"""Appeals always reach someone: everyone with the right to review who took no part in the decline may decide it,
staff and superusers included. In a team of two moderators who both declined, the review screen says who to add,
the team leads are told, the contributor's page says what is happening, and a superuser who took no part decides."""

import pytest
from django.core import mail

from moderation import workflows
from moderation.models import Appeal, StoryStatus
from tests.factories import ConsentRecordFactory, ContributionFactory
from tests.moderators import action_url, declined_by, make_user, moderator, sign_in
from tests.workers import run_queue

pytestmark = pytest.mark.django_db


def test_a_two_moderator_teams_appeal_is_decided(client, django_capture_on_commit_callbacks):
    first, second = moderator("first"), moderator("second")
    contribution = ContributionFactory(email="sam@example.org")
    ConsentRecordFactory(contribution=contribution)
    declined_by(contribution, first, second)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflows.lodge_appeal(contribution, "Please look again.")

    # Nobody may decide it: both moderators are told so, and who to add.
    staff_mail = [m for m in mail.outbox if m.to != ["sam@example.org"]]
    assert sorted(m.to[0] for m in staff_mail) == [first.email, second.email]
    assert all("nobody can decide the appeal" in m.body for m in staff_mail)
    review = sign_in(first).get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    assert "Nobody can decide this appeal yet" in review
    assert "Peer moderators or Moderators group" in review
    my_story = client.get(f"/my-story/{contribution.key}/").content.decode()
    assert "bring in someone new" in my_story

    # A superuser who took no part decides it through the review screen, like everyone else.
    root = sign_in(make_user("root", superuser=True))
    assert "Nobody can decide" not in root.get(f"/admin/moderation/story/{contribution.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert root.post(action_url(contribution, "publish")).status_code == 302
    run_queue("publication")
    contribution.refresh_from_db()
    assert contribution.status == StoryStatus.PUBLISHED
    assert Appeal.objects.get().status == Appeal.Status.PUBLISHED
