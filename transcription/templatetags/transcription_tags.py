from django import template

from ..models import Transcript, TranscriptionJob

register = template.Library()


@register.inclusion_tag("transcription/_status.html")
def transcript_status(page, review_url: str = ""):
    """Where a story's transcript stands (waiting, progress, ready, no speech), with a link to check it."""
    job = TranscriptionJob.objects.filter(story_id=page.pk).first() if page else None
    confirmed = job is not None and Transcript.objects.filter(story_id=page.pk, confirmed_at__isnull=False).exists()
    return {"job": job, "confirmed": confirmed, "review_url": review_url}
