"""Stories with a contributor's consent, for the themes and research tests: published the way moderation publishes
them (stories for researchers only sit behind the Researchers group), with a private record beside each."""

import datetime

from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from moderation import roles
from moderation.models import ConsentRecord, StoryStatus
from stories.models import StoryIndexPage, StoryPage
from tests.factories import ConsentRecordFactory, ContributionFactory

PRIVATE_EMAIL = "someone.private@example.org"
PRIVATE_NAME = "Priya Private-Name"


def consented_story(
    index: StoryIndexPage,
    text: str,
    *,
    audience: str = ConsentRecord.Audience.BOTH,
    research_use: bool = True,
    language: str = "en",
    transcript: list[dict] | None = None,
    expires_on: datetime.date | None = None,
    published: bool = True,
    suggested_themes: str = "",
    title: str = "",
):
    """A story page and its contribution (with the contributor's email, name and story key: private fields that
    must never leave through exports or public pages). Returns (page, contribution)."""
    page = StoryPage(
        title=title or f"Story {StoryPage.objects.count() + 1}",
        body=[("paragraph", paragraph) for paragraph in text.split("\n\n")],
        transcript=transcript or [],
        language=language,
        display_name=PRIVATE_NAME if audience != ConsentRecord.Audience.RESEARCHERS else "",
        live=False,
    )
    index.add_child(instance=page)
    if published:
        page.save_revision().publish()
        if audience == ConsentRecord.Audience.RESEARCHERS:
            restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
            restriction.groups.set(Group.objects.filter(name=roles.RESEARCHERS))
    contribution = ContributionFactory(
        story=page,
        status=StoryStatus.PUBLISHED if published else StoryStatus.IN_MODERATION,
        email=PRIVATE_EMAIL,
        suggested_themes=suggested_themes,
    )
    ConsentRecordFactory(
        contribution=contribution,
        audience=audience,
        research_use=research_use,
        expires_on=expires_on,
        identity=ConsentRecord.Identity.PSEUDONYM,
    )
    page.refresh_from_db()
    return page, contribution
