"""The contributor's private page, /my-story/<key>/: where their story is (updating itself while a recording is
written out), what became of it once published (its public page, how many readers said "I've experienced this too",
and what other apps add through `base.sections.MY_STORY_SECTIONS`, such as research), the boxes to reply to a
decline or a pause and to mark the story critical of a service, what they sent, and the way to withdraw.

Opened by its key through `contributions.keys.opens_story`, like every page under /my-story/<key>/. The page is built
by `render_story_page`, so a form sent from it with a mistake comes back on it, with what was typed.
"""

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from base.sections import MY_STORY_SECTIONS, rendered_sections
from moderation import workflows
from moderation.erasure import erase_story
from moderation.models import STATUS_EXPLANATIONS, Contribution, ContributorReply, Decision, StoryStatus
from stories.media_delivery import STAFF_CACHE_CONTROL, private_original, serve_media
from stories.models import ExperiencedTooCount, StoryMedia
from transcription.models import TranscriptionJob

from ..keys import opens_story

# As long as an appeal may be.
MAX_REPLY_LENGTH = 5000

# The usual way a story goes, as the contributor sees it; the recording steps only apply to audio and video.
MAIN_PATH = (
    StoryStatus.SUBMITTED,
    StoryStatus.PROCESSING,
    StoryStatus.AWAITING_CONTRIBUTOR,
    StoryStatus.IN_MODERATION,
    StoryStatus.PUBLISHED,
)
RECORDING_STEPS = (StoryStatus.PROCESSING, StoryStatus.AWAITING_CONTRIBUTOR)


def private_media_response(request, media: StoryMedia):
    """A private original for the one person allowed to hear it: seekable, never cached, typed by probed content."""
    return serve_media(request, private_original(media), cache_control=STAFF_CACHE_CONTROL)


def lifecycle(contribution: Contribution) -> list[dict]:
    """The stages of the story's way, each marked done, current or to come (words, not only colour)."""
    has_recording = bool(contribution.story and contribution.story.media_id)
    path = [stage for stage in MAIN_PATH if has_recording or stage not in RECORDING_STEPS]
    if contribution.status == StoryStatus.PUBLISHING:
        # Decided, and the published copy is being made: one step before "Published", which is still to come.
        path.insert(path.index(StoryStatus.PUBLISHED), StoryStatus.PUBLISHING)
    elif contribution.status not in path:
        # Off the usual way: an expired story after publication; edits, a decline, an appeal or a pause after review.
        after_publication = (StoryStatus.EXPIRED, StoryStatus.HIDDEN_BY_CONTRIBUTOR)
        after = StoryStatus.PUBLISHED if contribution.status in after_publication else StoryStatus.IN_MODERATION
        path = [*path[: path.index(after) + 1], contribution.status]
    current = path.index(contribution.status)
    return [
        {"label": StoryStatus(stage).label, "state": "done" if i < current else "current" if i == current else "next"}
        for i, stage in enumerate(path)
    ]


class ReplyForm(forms.Form):
    """A reply to a decline (words) or to a pause (any of the quick answers, words, or both)."""

    quick_answers = forms.MultipleChoiceField(
        label=_("Choose any that are true"),
        choices=ContributorReply.QuickAnswer.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    message = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_REPLY_LENGTH,
        required=False,
        error_messages={
            "max_length": _("Please keep your reply under %(limit_value)d characters (it has %(show_value)d).")
        },
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == Decision.Kind.PAUSE:
            self.fields["message"].label = gettext(
                "Anything you'd like to tell us (you can leave this empty if you chose above)"
            )
        else:
            del self.fields["quick_answers"]
            self.fields["message"].help_text = gettext(
                "The moderators who made the decision will read it. To have a different moderator look at your story "
                "again, appeal instead."
            )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("message", "").strip() and not data.get("quick_answers"):
            if self.kind == Decision.Kind.PAUSE:
                self.add_error("message", gettext("Choose an answer above or write a few words, then send it."))
            else:
                self.add_error("message", gettext("Write your reply, then send it."))
        return data


def reply_form_for(contribution: Contribution, data=None) -> ReplyForm | None:
    """The reply box for a declined or paused story; None when there is nothing to answer."""
    decision = workflows.decision_to_answer(contribution)
    return ReplyForm(data, kind=decision.kind, prefix="reply") if decision else None


def _transcription_job(page) -> TranscriptionJob | None:
    return TranscriptionJob.objects.filter(story_id=page.pk).first() if page and page.media_id else None


def render_story_page(request, contribution: Contribution, key: str, status: int = 200, **overrides):
    page = contribution.story.specific if contribution.story else None
    what, next_step = STATUS_EXPLANATIONS[contribution.status]
    published = page is not None and page.live and contribution.status == StoryStatus.PUBLISHED
    job = _transcription_job(page)
    context = {
        "key": key,
        "contribution": contribution,
        "status_label": contribution.get_status_display(),
        "status_explanation": what,
        "status_next": next_step,
        "stages": lifecycle(contribution),
        "page": page,
        "consent": contribution.consents.select_related("consent_text").first(),
        "published": published,
        "experienced_too": ExperiencedTooCount.for_story(page.pk) if published else None,
        "more_sections": rendered_sections(MY_STORY_SECTIONS, request, page) if page else [],
        # While the recording is written out, the page asks for its progress (static/js/my_story.js).
        "transcribing": job is not None and job.is_active,
        "reply_form": reply_form_for(contribution),
        "replies": contribution.replies.select_related("decision"),
        **overrides,
    }
    return render(request, "contributions/my_story/status.html", context, status=status)


@opens_story
def story_status(request, contribution: Contribution, key: str):
    return render_story_page(request, contribution, key)


@opens_story
def story_progress(request, contribution: Contribution, key: str):
    """Where the story and its transcription are, for the page's script: no words of the story, only states."""
    job = _transcription_job(contribution.story)
    return JsonResponse(
        {
            "status": contribution.status,
            "transcription": job.status if job else None,
            "progress": job.progress if job else None,
            "active": job is not None and job.is_active,
        }
    )


@opens_story
def story_media(request, contribution: Contribution, key: str):
    media = contribution.story.media if contribution.story else None
    if media is None or not media.file:
        raise Http404
    return private_media_response(request, media)


@opens_story
def withdraw(request, contribution: Contribution, key: str):
    """GET: are you sure? POST: erase the story now."""
    if request.method == "POST":
        erase_story(contribution)
        return redirect("contributions:my_story", key=key)
    return render(request, "contributions/my_story/withdraw.html", {"key": key, "page": contribution.story})
