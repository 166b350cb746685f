"""Public views of transcription: the captions of a published story, for its player."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from stories.models import StoryPage

from .captions import webvtt

# Short, so a withdrawn or re-edited story's captions do not linger in caches.
CAPTIONS_MAX_AGE = 300


@require_GET
def captions(request, page_id: int) -> HttpResponse:
    """WebVTT of the published transcript (the confirmed, moderated one copied onto the live page), else 404."""
    story = StoryPage.objects.live().public().filter(pk=page_id).only("pk", "transcript").first()
    if story is None or not story.transcript:
        raise Http404("No captions for this story.")
    response = HttpResponse(webvtt(story.transcript), content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={CAPTIONS_MAX_AGE}"
    return response
