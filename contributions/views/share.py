"""The share flow at /share/: four short steps that work without JavaScript and never lose what was typed.

    /share/          1. how to tell it (write, upload, record)
    /share/story/    2. the story: title, text or recording, language
    /share/choices/  3. consent choices against the current consent text, name, email, notes, themes
    /share/check/    4. check and send
    /share/done/     the private link, shown once

Answers live in the session exactly as typed, so a step with an error, a "Back" or a "Change" link shows them
again. A recording is checked and stored privately when its step is sent (see `submission.hold_upload`), so a file
is never carried between pages. Bots are dropped quietly: a filled honeypot on any step, or a form sent faster
than a person could, gets a neutral "thank you" and creates nothing.
"""

import secrets
import time
from functools import cached_property

from django.conf import settings
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit
from wagtail.models import Site

from base import abuse
from base.dates import long_date
from moderation.models import ConsentText, Contribution
from moderation.models.contributions import story_code
from stories.media_intake import MediaRejected
from stories.upload_handlers import capped_uploads, uploaded_media

from ..events import event_in_session, start_afresh
from ..forms import (
    METHOD_CHOICES,
    RECORD,
    WRITE,
    CheckForm,
    ChoicesForm,
    HowForm,
    ShareStepForm,
    StoryForm,
    answers_as_submission,
)
from ..models import SharingHelp
from ..submission import (
    AlreadySubmitted,
    SharingUnavailable,
    Submission,
    held_media,
    hold_upload,
    paragraphs,
    release_upload,
    submit_story,
)
from .my_story import private_media_response

STEPS = ("how", "story", "choices", "check")
STEP_URLS = {
    "how": "contributions:share",
    "story": "contributions:share_story",
    "choices": "contributions:share_choices",
    "check": "contributions:share_check",
}
STEP_TITLES = {
    "how": _("How to tell it"),
    "story": _("Your story"),
    "choices": _("Your choices"),
    "check": _("Check and send"),
}
CHOOSE_AGAIN = _("For your privacy we don't keep a file we can't use, so please choose it again.")
# The story key waits here between the submit and the one page that shows it.
SESSION_STORY_KEY = "share_story_key"


class ShareFlow:
    """One person's way through the share form, kept in their session."""

    SESSION_KEY = "share_flow"

    def __init__(self, request):
        self.session = request.session
        self.state = self.session.get(self.SESSION_KEY) or {
            "answers": {},
            "media_id": None,
            "started_at": time.time(),
            # The form's idempotency token: a second submit with it finds the story the first one made.
            "token": secrets.token_hex(16),
        }

    def _save(self) -> None:
        self.session[self.SESSION_KEY] = self.state
        self.session.modified = True

    def answers(self, step: str) -> dict[str, list[str]]:
        return self.state["answers"].get(step, {})

    def keep(self, step: str, raw: dict[str, list[str]]) -> None:
        self.state["answers"][step] = raw
        self._save()

    @property
    def method(self) -> str:
        return (self.answers("how").get("method") or [""])[0]

    @property
    def media_id(self) -> int | None:
        return self.state["media_id"]

    @media_id.setter
    def media_id(self, value: int | None) -> None:
        self.state["media_id"] = value
        self._save()

    @property
    def started_at(self) -> float:
        return self.state["started_at"]

    @property
    def token(self) -> str:
        return self.state["token"]

    def end(self) -> None:
        self.session.pop(self.SESSION_KEY, None)

    @cached_property
    def event(self):
        """The event this device is sharing at (opened through its link, views/event.py), or None."""
        return event_in_session(self.session)


def current_consent_text() -> ConsentText:
    consent_text = ConsentText.current()
    if consent_text is None:
        raise SharingUnavailable()
    return consent_text


def step_form(step: str, flow: ShareFlow, data=None, files=None) -> ShareStepForm:
    """The form of a step, bound to `data` or (for showing it again) filled with the kept answers."""
    if step == "how":
        form_class, kwargs = HowForm, {}
    elif step == "story":
        form_class, kwargs = StoryForm, {"method": flow.method, "has_held_media": held_media(flow.media_id) is not None}
    else:
        form_class, kwargs = ChoicesForm, {"consent_text": current_consent_text(), "is_media": flow.method != WRITE}
    if data is None:
        return form_class(initial=form_class.initial_from_raw(flow.answers(step)), **kwargs)
    return form_class(data, files, **kwargs)


def kept_form(step: str, flow: ShareFlow) -> ShareStepForm:
    """A step's form bound to its kept answers, to check them (and show their problems) without a new post."""
    data = QueryDict(mutable=True)
    for name, values in flow.answers(step).items():
        data.setlist(name, values)
    return step_form(step, flow, data=data)


def first_unfinished_step(flow: ShareFlow, before: str) -> str | None:
    for step in STEPS[: STEPS.index(before)]:
        if not kept_form(step, flow).is_valid():
            return step
    return None


def drop_bot(request, flow: ShareFlow):
    """A neutral page for what looks like a bot: nothing is created, and nothing says why."""
    if media := held_media(flow.media_id):
        release_upload(media)
    flow.end()
    return render(request, "contributions/share/thanks.html")


@method_decorator(never_cache, name="dispatch")
class StepView(View):
    step: str
    template_name: str

    def dispatch(self, request, *args, **kwargs):
        self.flow = ShareFlow(request)
        try:
            if unfinished := first_unfinished_step(self.flow, before=self.step):
                return redirect(reverse(STEP_URLS[unfinished]) + "?problems=1")
            return super().dispatch(request, *args, **kwargs)
        except SharingUnavailable:
            return render(request, "contributions/share/unavailable.html", status=503)

    def get(self, request):
        if request.GET.get("problems") and self.flow.answers(self.step):
            form = kept_form(self.step, self.flow)
            form.is_valid()  # show what needs fixing
        else:
            form = step_form(self.step, self.flow)
        return self.render(form)

    def post(self, request):
        form = step_form(self.step, self.flow, data=request.POST, files=request.FILES)
        if form.is_bot():
            return drop_bot(request, self.flow)
        going_back = "back" in request.POST
        if not going_back:
            self.validate(form)
        self.flow.keep(self.step, form.raw_data())
        if going_back:
            return redirect(STEP_URLS[STEPS[STEPS.index(self.step) - 1]])
        if not form.errors:
            return redirect(STEP_URLS[STEPS[STEPS.index(self.step) + 1]])
        return self.render(form)

    def validate(self, form) -> None:
        """Check the step; a subclass may do work here (storing a recording) and add errors to the form."""
        form.is_valid()

    def context(self, form) -> dict:
        return {}

    def render(self, form):
        context = {
            "form": form,
            "step_title": STEP_TITLES[self.step],
            "step_number": STEPS.index(self.step) + 1,
            "step_count": len(STEPS),
            "back_allowed": self.step != STEPS[0],
            **self.context(form),
        }
        return render(self.request, self.template_name, context)


class HowStepView(StepView):
    step = "how"
    template_name = "contributions/share/how.html"

    def context(self, form) -> dict:
        # "Ask a peer worker to help": the ways to reach someone, as staff set them in the admin.
        return {"sharing_help": SharingHelp.reading(Site.find_for_request(self.request))}


class StoryStepView(StepView):
    step = "story"
    template_name = "contributions/share/story.html"

    def post(self, request):
        self.upload, self.refused = None, None
        if self.flow.method != WRITE:
            try:
                self.upload = uploaded_media(request, "media")
            except MediaRejected as refused:  # cut off at the size cap while it streamed in
                self.refused = refused
        return super().post(request)

    def validate(self, form) -> None:
        form.is_valid()
        if self.refused:
            form.errors.pop("media", None)  # the reason it was refused, not "choose a file"
            form.add_error("media", f"{self.refused.message} {CHOOSE_AGAIN}")
        elif self.upload is not None:
            # Kept even if another answer needs fixing, so a good file never has to be chosen twice.
            try:
                media = hold_upload(self.upload, title=form.data.get("title", ""))
            except MediaRejected as rejected:
                form.add_error("media", f"{rejected.message} {CHOOSE_AGAIN}")
                return
            if previous := held_media(self.flow.media_id):
                release_upload(previous)
            self.flow.media_id = media.pk

    def context(self, form) -> dict:
        return {
            "method": self.flow.method,
            "is_recording": self.flow.method == RECORD,
            "held_media": held_media(self.flow.media_id),
            "max_upload_bytes": settings.VOICEBOX_MAX_UPLOAD_BYTES,
            "max_media_seconds": settings.VOICEBOX_MAX_MEDIA_SECONDS,
        }


class ChoicesStepView(StepView):
    step = "choices"
    template_name = "contributions/share/choices.html"

    def context(self, form) -> dict:
        more = ("expires_on", "minimal_edits", "content_notes", "themes", "suggested_theme")
        # Open when something in it was answered or needs fixing, so nothing chosen or wrong is out of sight.
        more_open = any(form[name].errors or form[name].value() for name in more)
        return {
            "consent_text": form.consent_text,
            "is_media": self.flow.method != WRITE,
            "more_choices_open": more_open,
        }


@method_decorator(never_cache, name="dispatch")
class CheckStepView(View):
    template_name = "contributions/share/check.html"

    def get(self, request):
        flow = ShareFlow(request)
        if unfinished := first_unfinished_step(flow, before="check"):
            return redirect(reverse(STEP_URLS[unfinished]) + "?problems=1")
        return self.render(flow)

    def post(self, request):
        flow = ShareFlow(request)
        form = CheckForm(request.POST)
        if form.is_bot():
            return drop_bot(request, flow)
        # A repeated submit (double click, resent POST) finds the story the first one created, even though the
        # first one has already ended this flow.
        token = request.POST.get("token", "")
        if token and Contribution.objects.filter(idempotency_key=token).exists():
            return redirect("contributions:share_done")
        if unfinished := first_unfinished_step(flow, before="check"):
            return redirect(reverse(STEP_URLS[unfinished]) + "?problems=1")
        if not form.is_valid() or form.cleaned_data["token"] != flow.token:
            return self.render(flow, notice=gettext("Please check your answers and send your story again."))
        seconds = form.seconds_taken()
        if seconds is None:
            return self.render(flow, notice=gettext("This page was open for a long time. Please check and send again."))
        if seconds < abuse.MIN_FILL_SECONDS:
            return drop_bot(request, flow)
        try:
            submitted = submit_story(self.submission(flow))
        except AlreadySubmitted:
            return redirect("contributions:share_done")
        except SharingUnavailable:
            return render(request, "contributions/share/unavailable.html", status=503)
        flow.end()
        if flow.event:
            # A shared device at an event: nothing of this person stays but their key, for the done page and card.
            start_afresh(request, flow.event, card_key=submitted.key)
        request.session[SESSION_STORY_KEY] = submitted.key
        return redirect("contributions:share_done")

    def submission(self, flow: ShareFlow) -> Submission:
        story = kept_form("story", flow)
        choices = kept_form("choices", flow)
        story.is_valid()
        choices.is_valid()
        is_media = flow.method != WRITE
        media = held_media(flow.media_id) if is_media else None
        if not is_media and (unused := held_media(flow.media_id)):
            # They added a recording, then chose to write instead: the recording is not part of the story.
            release_upload(unused)
        return answers_as_submission(
            story,
            choices,
            media=media,
            consent_text=choices.consent_text,
            idempotency_key=flow.token,
            channel=self.channel(flow, media),
            event=flow.event,
        )

    @staticmethod
    def channel(flow: ShareFlow, media) -> str:
        if flow.event:
            return Contribution.Channel.EVENT
        return Contribution.Channel.RECORDED if media and flow.method == RECORD else Contribution.Channel.WEB

    def render(self, flow: ShareFlow, notice: str = ""):
        story, choices = kept_form("story", flow), kept_form("choices", flow)
        story.is_valid()
        choices.is_valid()
        context = {
            "form": CheckForm(initial={"started": abuse.sign_started(flow.started_at), "token": flow.token}),
            "notice": notice,
            "step_title": STEP_TITLES["check"],
            "step_number": len(STEPS),
            "step_count": len(STEPS),
            "back_allowed": True,
            "story": story.cleaned_data,
            "paragraphs": paragraphs(story.cleaned_data.get("text", "")),
            "held_media": held_media(flow.media_id) if flow.method != WRITE else None,
            "summary": summary_rows(flow.method, story, choices),
        }
        return render(self.request, self.template_name, context)


def summary_rows(method: str, story: StoryForm, choices: ChoicesForm) -> list[tuple[str, str, str]]:
    """(question, answer in words, where to change it) for the check page."""

    def label(form, name: str) -> str:
        value = form.cleaned_data[name]
        if isinstance(value, bool):  # yes/no questions are cleaned to booleans
            value = "yes" if value else "no"
        return str(dict(form.fields[name].choices).get(value, value))

    answers = choices.cleaned_data
    how_url, story_url, choices_url = (reverse(STEP_URLS[step]) for step in ("how", "story", "choices"))
    not_given = gettext("Not given")
    rows = [
        (gettext("How you're telling it"), str(dict(METHOD_CHOICES)[method]), how_url),
        (gettext("Title"), story.cleaned_data["title"], story_url),
        (gettext("Language"), label(story, "language") if story.cleaned_data["language"] else not_given, story_url),
        (
            gettext("Sharing as"),
            label(story, "perspective") if story.cleaned_data["perspective"] else not_given,
            story_url,
        ),
        (gettext("Who may see it"), label(choices, "audience"), choices_url),
        (gettext("How you're named"), answers["display_name"] or gettext("Not shown (anonymous)"), choices_url),
    ]
    if "media_use" in answers:
        rows.append((gettext("Your voice and face"), label(choices, "media_use"), choices_url))
    expires_on = answers["expires_on"]
    until = gettext("Until %(date)s") % {"date": long_date(expires_on)} if expires_on else ""
    rows += [
        (gettext("How long it stays published"), until or gettext("Until I withdraw it"), choices_url),
        (gettext("Small edits without asking"), label(choices, "minimal_edits"), choices_url),
        (gettext("Email"), answers["email"] or not_given, choices_url),
        (
            gettext("Content notes"),
            ", ".join(note.name for note in answers["content_notes"]) or pgettext("no content notes chosen", "None"),
            choices_url,
        ),
        (
            gettext("Themes"),
            ", ".join(theme.name for theme in answers["themes"]) or gettext("None chosen"),
            choices_url,
        ),
    ]
    if answers["suggested_theme"]:
        rows.append((gettext("Your theme suggestion"), answers["suggested_theme"], choices_url))
    rows += [(field.label, str(field.value()), story_url) for field in story.added_fields if field.value()]
    return rows


check_step = ratelimit(group="share-submit", key=abuse.ratelimit_key, rate=abuse.SHARE_SUBMIT_RATE, method="POST")(
    CheckStepView.as_view()
)
story_step = ratelimit(group="share-story", key=abuse.ratelimit_key, rate=abuse.SHARE_STORY_STEP_RATE, method="POST")(
    capped_uploads(StoryStepView.as_view())
)
how_step = HowStepView.as_view()
choices_step = ChoicesStepView.as_view()


@never_cache
def done(request):
    """The one page that shows the story key. It is taken out of the session as it is shown."""
    key = request.session.pop(SESSION_STORY_KEY, None)
    link = request.build_absolute_uri(reverse("contributions:my_story", args=[key])) if key else ""
    # At an event, the done page offers the key card from the session and hands the device to the next person.
    # The short code is shown beside the link, for writing down by hand (it opens the same page; see views/code.py).
    code = story_code(key) if key else ""
    context = {"link": link, "code": code, "event": event_in_session(request.session)}
    return render(request, "contributions/share/done.html", context)


@never_cache
def held_recording(request):
    """The recording held for this person's unfinished form, so they can listen before sending it."""
    media = held_media(ShareFlow(request).media_id)
    if media is None:
        raise Http404
    return private_media_response(request, media)
