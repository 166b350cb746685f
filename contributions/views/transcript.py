"""The contributor checks the transcript of their recording (/my-story/<key>/transcript/).

They see each line with its time beside the player of their private original, correct the words of any line (the
timings stay), and confirm; or they send it for review as it is. Either way the story then goes into moderation,
and the version they confirmed is the one moderators see and the public gets. Written stories skip this step.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from moderation import workflows
from moderation.models import AuditEvent, Contribution, StoryStatus
from transcription.models import JobStatus, Transcript, TranscriptionJob

from ..keys import opens_story

# Before moderation, the contributor may still check or change the transcript.
REVIEWABLE = (StoryStatus.PROCESSING, StoryStatus.AWAITING_CONTRIBUTOR)
# Outcomes after which there is nothing to wait for: the story can go on, with or without a transcript.
SETTLED = (JobStatus.DONE, JobStatus.NO_SPEECH, JobStatus.FAILED)
LINE_MAX_LENGTH = 2000


class TranscriptForm(forms.Form):
    """One text box per line of the transcript, named line-0, line-1, …"""

    def __init__(self, segments: list[dict], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.segments = segments
        for index, segment in enumerate(segments):
            self.fields[f"line-{index}"] = forms.CharField(
                label=gettext("Line %(number)d, from %(start)s to %(end)s")
                % {"number": index + 1, "start": clock(segment["start"]), "end": clock(segment["end"])},
                initial=segment["text"],
                required=False,
                max_length=LINE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def lines(self):
        """(field, segment) pairs, for the template to put each box beside its time."""
        return [(self[f"line-{index}"], segment) for index, segment in enumerate(self.segments)]

    def corrections(self) -> dict[int, str]:
        return {index: self.cleaned_data[f"line-{index}"] for index in range(len(self.segments))}


def clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@opens_story
@require_http_methods(["GET", "POST"])
def review_transcript(request, contribution: Contribution, key: str):
    page = contribution.story
    if page is None or not page.media_id:
        return redirect("contributions:my_story", key=key)  # a written story has no transcript to check
    job = TranscriptionJob.objects.filter(story_id=page.pk).first()
    transcript = Transcript.objects.filter(story_id=page.pk).first()
    can_review = contribution.status in REVIEWABLE and job is not None and job.status in SETTLED
    form = TranscriptForm(transcript.current_segments) if transcript and can_review else None

    if request.method == "POST" and can_review:
        if transcript is None:
            _send_to_moderation(contribution, AuditEvent.Action.TRANSCRIPT_SKIPPED)
            messages.success(request, gettext("Thank you. Your story is now with a moderator."))
            return redirect("contributions:my_story", key=key)
        as_it_is = request.POST.get("action") == "as-it-is"
        if not as_it_is:
            form = TranscriptForm(transcript.current_segments, request.POST)
        if as_it_is or form.is_valid():
            with transaction.atomic():
                transcript.confirm({} if as_it_is else form.corrections())
                sent = AuditEvent.Action.TRANSCRIPT_SENT_AS_IS if as_it_is else AuditEvent.Action.TRANSCRIPT_CONFIRMED
                _send_to_moderation(contribution, sent)
            messages.success(request, gettext("Thank you. Your story and its transcript are now with a moderator."))
            return redirect("contributions:my_story", key=key)

    context = {
        "key": key,
        "page": page,
        "contribution": contribution,
        "job": job,
        "transcript": transcript,
        "form": form,
        "can_review": can_review,
        "still_working": job is not None and job.is_active,
    }
    return render(request, "contributions/my_story/transcript.html", context)


def _send_to_moderation(contribution: Contribution, action: AuditEvent.Action) -> None:
    AuditEvent.record(contribution.story_id, action, AuditEvent.Actor.CONTRIBUTOR)
    workflows.start_moderation(contribution)
