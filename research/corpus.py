"""Which stories discovery and research may use, and their words.

- Public stories: live, open to everyone (no view restriction). Only these are quoted or counted on public pages.
- Research stories: published stories whose contributor said yes to research use in their latest consent, including
  stories for researchers only (published behind the Researchers group). Never any other story.
Discovery reads both; exports read research stories only.
"""

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from moderation.models import ConsentRecord, Contribution, StoryStatus
from stories.meaning import story_vectors
from stories.models import StoryPage

from .discovery import Document


def _latest_consent(field: str) -> Subquery:
    return Subquery(
        ConsentRecord.objects.filter(contribution=OuterRef("pk")).order_by("-given_at", "-pk").values(field)[:1]
    )


def research_contributions() -> QuerySet[Contribution]:
    """Published contributions whose latest consent says yes to research use and has not expired."""
    today = timezone.localdate()
    return (
        Contribution.objects.filter(status=StoryStatus.PUBLISHED, story__isnull=False, story__live=True)
        .annotate(
            consent_research_use=_latest_consent("research_use"),
            consent_audience=_latest_consent("audience"),
            consent_given_at=_latest_consent("given_at"),
            consent_expires_on=_latest_consent("expires_on"),
        )
        .filter(consent_research_use=True)
        .filter(Q(consent_expires_on__isnull=True) | Q(consent_expires_on__gte=today))
    )


def research_stories() -> QuerySet[StoryPage]:
    return StoryPage.objects.filter(pk__in=research_contributions().values("story_id"))


def public_stories() -> QuerySet[StoryPage]:
    return StoryPage.objects.live().public()


def story_text(page: StoryPage) -> str:
    """The story's own words: its paragraphs and its published transcript."""
    return "\n\n".join(part for part in [*page.paragraphs, page.transcript_text] if part.strip())


def discovery_documents() -> list[Document]:
    """Every story discovery may read, in a stable order (by page id) so runs are reproducible, with the vectors
    stored when each was published (a story not embedded yet is embedded by discovery itself)."""
    public_ids = set(public_stories().values_list("pk", flat=True))
    pages = list(
        StoryPage.objects.filter(
            Q(pk__in=public_stories().values("pk")) | Q(pk__in=research_stories().values("pk"))
        ).order_by("pk")
    )
    vectors = story_vectors([page.pk for page in pages])
    return [
        Document(
            story_id=page.pk,
            text=story_text(page),
            language=page.language,
            public=page.pk in public_ids,
            vector=vectors.get(page.pk),
        )
        for page in pages
    ]
