"""Sharing a story with someone, in the admin (assisted sharing): a peer worker or staff member enters a person's
story with them, asking the same questions as /share/ (the same forms), in the person's words.

    /admin/share-with-someone/          how the person tells it: said and typed, a recording, a paper form
    /admin/share-with-someone/<way>/    the story, their choices against the consent text, how they agreed
    /admin/share-with-someone/done/     their private link and key, shown once, with a link to print their key card
    /admin/share-with-someone/card/     their key card (contributions.views.card), once, from the session

For peer moderators and staff moderators (contributions.assist_sharing, given through the group registry); 403 for
every other role, whichever way they ask. The story is submitted as on /share/ (`submit_story` with `assisted`): the
same draft, workflow and transcription; who helped goes in the audit log for moderators, never anywhere public.
The key is kept only in the helper's session between the submit and the page that shows it, and taken out as it is
shown (the card likewise), so the helper cannot open the story later unless the person gives them the key: no page
they saw has it in its address, and nothing here is cached.
"""

import secrets
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from moderation.models import ConsentRecord, Contribution, PaperScan
from stories.media_intake import MediaRejected
from stories.upload_handlers import capped_uploads, uploaded_media

from ..forms import (
    ASSISTED_WAYS,
    PAPER,
    RECORDING,
    UPLOAD,
    WRITE,
    AssistedForm,
    ChoicesForm,
    StoryForm,
    answers_as_submission,
)
from ..scans import ScanRejected, checked_scan
from ..submission import (
    AlreadySubmitted,
    Assisted,
    SharingUnavailable,
    held_media,
    hold_upload,
    release_upload,
    submit_story,
)
from .card import key_card
from .share import CHOOSE_AGAIN, current_consent_text

ASSIST_PERMISSION = "contributions.assist_sharing"
# The recording checked for the story being entered, between a post with a problem and the next one.
SESSION_MEDIA_ID = "assisted_media_id"
# The story key waits here between the submit and the one page that shows it, then for the one card printed from it.
SESSION_STORY_KEY = "assisted_story_key"
SESSION_CARD_KEY = "assisted_card_key"
TITLE = "Share a story with someone"
AGREE_LABEL = "They heard or read the words above, and agreed to them for this story."


def may_assist(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(ASSIST_PERMISSION)


def for_helpers(view):
    """Never cached, and 403 for anyone who may not share a story with someone."""

    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_assist(request.user):
            return render(request, "moderation/admin/forbidden.html", {"page_title": "Not for your role"}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _forget_held(request) -> None:
    """Erase a recording held for a story that was not sent, and forget a card not printed: a fresh start is a new
    person."""
    request.session.pop(SESSION_CARD_KEY, None)
    if media := held_media(request.session.pop(SESSION_MEDIA_ID, None)):
        release_upload(media)


@for_helpers
def choose_way(request):
    _forget_held(request)
    ways = [(way, label, hint) for way, (label, hint) in ASSISTED_WAYS.items()]
    return render(
        request, "contributions/assisted/choose.html", {"page_title": TITLE, "header_title": TITLE, "ways": ways}
    )


@for_helpers
def share_with_someone(request, way: str):
    if way not in ASSISTED_WAYS:
        raise Http404
    try:
        consent_text = current_consent_text()
    except SharingUnavailable:
        return render(request, "contributions/share/unavailable.html", status=503)
    method = UPLOAD if way == RECORDING else WRITE
    if request.method != "POST":
        _forget_held(request)
        story = StoryForm(method=method)
        choices = _choices_form(None, consent_text, way)
        assisted = AssistedForm(way=way)
        return _render(request, way, story, choices, assisted, token=secrets.token_hex(16))

    refused = None
    upload = None
    if way == RECORDING:
        try:
            upload = uploaded_media(request, "media")
        except MediaRejected as rejected:  # cut off at the size cap while it streamed in
            refused = rejected
    held = held_media(request.session.get(SESSION_MEDIA_ID)) if way == RECORDING else None
    story = StoryForm(request.POST, request.FILES, method=method, has_held_media=held is not None)
    choices = _choices_form(request.POST, consent_text, way)
    assisted = AssistedForm(request.POST, request.FILES, way=way)
    token = request.POST.get("token", "")
    if len(token) != 32 or not all(c in "0123456789abcdef" for c in token):
        token = secrets.token_hex(16)
    if Contribution.objects.filter(idempotency_key=token).exists():  # sent twice: the first made the story
        return redirect("contributions_assisted:done")
    valid = [form.is_valid() for form in (story, choices, assisted)]
    if refused:
        story.errors.pop("media", None)
        story.add_error("media", f"{refused.message} {CHOOSE_AGAIN}")
    elif upload is not None:
        # Kept even if another answer needs fixing, so a good recording never has to be chosen twice.
        try:
            media = hold_upload(upload, title=request.POST.get("title", ""))
        except MediaRejected as rejected:
            story.add_error("media", f"{rejected.message} {CHOOSE_AGAIN}")
        else:
            if held:
                release_upload(held)
            held = media
            request.session[SESSION_MEDIA_ID] = media.pk
    scans = _checked_scans(assisted)
    if not all(valid) or story.errors or assisted.errors:
        return _render(request, way, story, choices, assisted, token=token, held=held, status=400)
    submission = answers_as_submission(
        story,
        choices,
        media=held,
        consent_text=consent_text,
        idempotency_key=token,
        channel=Contribution.Channel.ASSISTED,
        assisted=Assisted(
            staff_member=request.user, consent_method=assisted.cleaned_data["consent_method"], scans=scans
        ),
    )
    try:
        submitted = submit_story(submission)
    except AlreadySubmitted:
        return redirect("contributions_assisted:done")
    except SharingUnavailable:
        return render(request, "contributions/share/unavailable.html", status=503)
    request.session.pop(SESSION_MEDIA_ID, None)  # claimed by the story
    request.session[SESSION_STORY_KEY] = submitted.key
    return redirect("contributions_assisted:done")


share_with_someone_view = capped_uploads(share_with_someone)


def _choices_form(data, consent_text, way: str) -> ChoicesForm:
    """The share form's choices, with its agreement said of the person rather than by them."""
    form = ChoicesForm(data, consent_text=consent_text, is_media=way == RECORDING)
    form.fields["agree"].label = AGREE_LABEL
    return form


def _checked_scans(assisted: AssistedForm) -> list[tuple[str, object]]:
    """The pictures sent, each checked and redrawn (contributions.scans); a refused one is an error on its field."""
    scans = []
    fields = {"consent_scan": PaperScan.Kind.CONSENT_FORM, "story_scan": PaperScan.Kind.STORY_FORM}
    signed = assisted.data.get("consent_method") == ConsentRecord.Method.SIGNED_FORM
    for name, kind in fields.items():
        upload = assisted.files.get(name)
        if upload is None or name not in assisted.fields or (name == "consent_scan" and not signed):
            continue  # a consent form photo is kept only when they agreed by signing one
        try:
            scans.append((kind, checked_scan(upload)))
        except ScanRejected as rejected:
            assisted.add_error(name, f"{rejected.message} Please choose it again.")
    return scans


def _render(request, way, story, choices, assisted, *, token, held=None, status=200):
    context = {
        "page_title": TITLE,
        "header_title": TITLE,
        "way": way,
        "way_label": ASSISTED_WAYS[way][0],
        "story_form": story,
        "choices_form": choices,
        "assisted_form": assisted,
        "consent_text": choices.consent_text,
        "token": token,
        "held_media": held,
        "has_errors": bool(story.errors or choices.errors or assisted.errors),
        "max_upload_mb": settings.VOICEBOX_MAX_UPLOAD_BYTES // (1024 * 1024),
        "paper": way == PAPER,
    }
    return render(request, "contributions/assisted/form.html", context, status=status)


@for_helpers
def done(request):
    """The one page that shows the person's key: taken out of the helper's session as it is shown."""
    key = request.session.pop(SESSION_STORY_KEY, None)
    if key:
        request.session[SESSION_CARD_KEY] = key
    link = request.build_absolute_uri(reverse("contributions:my_story", args=[key])) if key else ""
    context = {"page_title": "Their private link", "header_title": "Their private link", "link": link, "key": key}
    return render(request, "contributions/assisted/done.html", context)


@for_helpers
def card(request):
    """Their key card, printed once: opened from the session rather than by its /my-story/<key>/card/ address, so the
    key never enters the helper's browser history, and taken out of the session as it is shown."""
    key = request.session.pop(SESSION_CARD_KEY, None)
    if not key:
        return redirect("contributions_assisted:done")
    return key_card(request, key=key, shared_device=True)
