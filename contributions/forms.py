"""The share flow's forms, one per step. Plain words, one question at a time, nothing pre-ticked for consent.

Every step carries a honeypot field that people never see or hear; the final step carries the signed start time
(minimum fill time) and the idempotency token. Bound-field ids follow Django's own aria-describedby convention
(`<id>_helptext`, `<id>_error`), which the templates use for hints and messages.
"""

from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from base import abuse
from moderation.models import ConsentRecord, ConsentText
from stories.models import ContentNote, StoryPerspective, Theme

from .submission import Submission

WRITE, UPLOAD, RECORD = "write", "upload", "record"
METHOD_CHOICES = [
    (WRITE, _("Write it")),
    (UPLOAD, _("Upload a recording (audio or video)")),
    (RECORD, _("Record it now, in this browser (audio or video)")),
]
METHOD_HINTS = {
    WRITE: _("Type your story, or paste it in. Any length is fine."),
    UPLOAD: _("A voice memo or video from your phone or computer, up to {max_mb} MB and {max_minutes} minutes."),
    RECORD: _(
        "Uses your microphone, and your camera if you want to be seen. This needs JavaScript; "
        "if it isn't available, you can upload a file instead."
    ),
}

# Languages offered by name; each code is one Whisper understands (tests check this). Others choose "not listed".
LANGUAGE_CHOICES = [
    ("", _("I'd rather not say, or it's not listed")),
    ("en", "English"),
    ("cy", _("Cymraeg (Welsh)")),
    ("ar", _("العربية (Arabic)")),
    ("bn", _("বাংলা (Bengali)")),
    ("bg", _("Български (Bulgarian)")),
    ("yue", _("粵語 (Cantonese)")),
    ("zh", _("中文 (Chinese, Mandarin)")),
    ("fa", _("فارسی (Farsi)")),
    ("fr", _("Français (French)")),
    ("de", _("Deutsch (German)")),
    ("el", _("Ελληνικά (Greek)")),
    ("gu", _("ગુજરાતી (Gujarati)")),
    ("hi", _("हिन्दी (Hindi)")),
    ("it", _("Italiano (Italian)")),
    ("lt", _("Lietuvių (Lithuanian)")),
    ("pl", _("Polski (Polish)")),
    ("pt", _("Português (Portuguese)")),
    ("pa", _("ਪੰਜਾਬੀ (Punjabi)")),
    ("ro", _("Română (Romanian)")),
    ("ru", _("Русский (Russian)")),
    ("so", _("Soomaali (Somali)")),
    ("es", _("Español (Spanish)")),
    ("ta", _("தமிழ் (Tamil)")),
    ("tr", _("Türkçe (Turkish)")),
    ("uk", _("Українська (Ukrainian)")),
    ("ur", _("اردو (Urdu)")),
]

PERSPECTIVE_CHOICES = [("", _("I'd rather not say")), *StoryPerspective.choices]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]

MAX_STORY_CHARACTERS = 50_000

# Optional questions other apps add to the story step, without this app knowing them (services asks which service
# the story is about). Each function registered for this Wagtail hook returns {field name: form field}; the answers
# travel in Submission.added_answers and reach the app through `submission.story_submitted`.
STORY_QUESTIONS_HOOK = "share_story_questions"


class HintedBoundField(BoundField):
    @property
    def options(self) -> list[tuple]:
        """Each radio or checkbox of a choice field with its hint, for templates."""
        hints = self.form.choice_hints.get(self.name, {})
        return [(option, hints.get(str(option.data["value"]), "")) for option in self.subwidgets]


class ShareStepForm(forms.Form):
    """A step of the share flow. Carries the honeypot: a field hidden from everyone, which only bots fill in."""

    bound_field_class = HintedBoundField
    # A sentence under particular choices of a radio or checkbox field: {field name: {choice value: hint}}.
    choice_hints: dict[str, dict[str, str]] = {}
    honeypot_field = "website"
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get(self.honeypot_field, "").strip())

    def visible_questions(self):
        return [field for field in self if field.name != self.honeypot_field and not field.is_hidden]

    def raw_data(self) -> dict[str, list[str]]:
        """What the person typed, as posted: kept between steps so nothing is ever lost (files excepted)."""
        return {
            name: self.data.getlist(name)
            for name, field in self.fields.items()
            if name != self.honeypot_field and not isinstance(field, forms.FileField)
        }

    @classmethod
    def initial_from_raw(cls, raw: dict[str, list[str]]) -> dict:
        """Turn kept answers back into initial values for showing the step again."""
        multi = {name for name, field in cls.base_fields.items() if isinstance(field, forms.MultipleChoiceField)}
        return {name: values if name in multi else (values[0] if values else "") for name, values in raw.items()}


def _radio(label: str, choices, required_message: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required_message},
    )


class HowForm(ShareStepForm):
    method = _radio(
        _("How would you like to tell your story?"),
        METHOD_CHOICES,
        _("Choose how you'd like to tell your story."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits = {
            "max_mb": settings.VOICEBOX_MAX_UPLOAD_BYTES // (1024 * 1024),
            "max_minutes": settings.VOICEBOX_MAX_MEDIA_SECONDS // 60,
        }
        self.choice_hints = {"method": {value: hint.format(**limits) for value, hint in METHOD_HINTS.items()}}


class StoryForm(ShareStepForm):
    title = forms.CharField(
        label=_("A title for your story"),
        max_length=120,
        help_text=_("A few words shown above your story, for example “Finding my feet again”."),
        error_messages={
            "required": _("Give your story a title. A few words are enough."),
            "max_length": _("Please keep the title to 120 characters or fewer (it has %(show_value)d)."),
        },
    )
    text = forms.CharField(
        label=_("Your story"),
        required=False,
        max_length=MAX_STORY_CHARACTERS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Leave an empty line between paragraphs. Spelling and grammar don't matter."),
        error_messages={
            "max_length": _(
                "Your story is longer than we can take in one go (%(limit_value)d characters). "
                "Could you shorten it, or send it as two stories?"
            ),
        },
    )
    media = forms.FileField(
        label=_("Your recording"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "audio/*,video/*"}),
        help_text=_("An audio or video file. We check it and keep it private until your story is published."),
    )
    language = forms.ChoiceField(
        label=_("Which language is your story in? (optional)"),
        choices=LANGUAGE_CHOICES,
        required=False,
        help_text=_("This helps us write out what you say accurately."),
    )
    perspective = forms.ChoiceField(
        label=_("I'm sharing as… (optional)"),
        choices=PERSPECTIVE_CHOICES,
        required=False,
        help_text=_("Every one of these is welcome. It is never shown with your name."),
    )

    def __init__(self, *args, method: str, has_held_media: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method
        self.has_held_media = has_held_media
        if method == WRITE:
            del self.fields["media"]
        else:
            del self.fields["text"]
            if has_held_media:
                self.fields["media"].label = gettext("Choose a different recording (optional)")
                self.fields["media"].help_text = gettext("Only if you want to replace the one you've already added.")
        self.added_questions = []
        for add_questions in hooks.get_hooks(STORY_QUESTIONS_HOOK):
            questions = add_questions()
            self.fields.update(questions)
            self.added_questions += list(questions)

    @property
    def added_fields(self) -> list[BoundField]:
        return [self[name] for name in self.added_questions]

    def clean(self):
        cleaned = super().clean()
        if self.method == WRITE and not cleaned.get("text") and "text" not in self.errors:
            self.add_error("text", gettext("Write your story in the box, or go back and choose to record it instead."))
        if self.method != WRITE and not cleaned.get("media") and not self.has_held_media:
            if self.method == RECORD:
                self.add_error("media", gettext("Record your story, or choose a file with a recording in it."))
            else:
                self.add_error("media", gettext("Choose the file with your recording in it."))
        return cleaned


# Who may see the story and whether researchers may use it, asked as one question so the answers cannot conflict:
# each choice is a whole audience, and the research use follows from it.
AUDIENCE_CHOICES = [
    (ConsentRecord.Audience.BOTH, _("Everyone, and researchers may use it")),
    (ConsentRecord.Audience.PUBLIC, _("Everyone, but not for research")),
    (ConsentRecord.Audience.RESEARCHERS, _("Only researchers we work with")),
]
RESEARCH_USE = {
    ConsentRecord.Audience.BOTH: True,
    ConsentRecord.Audience.PUBLIC: False,
    ConsentRecord.Audience.RESEARCHERS: True,
}
IDENTITY_CHOICES = [
    (ConsentRecord.Identity.ANONYMOUS, _("Anonymous")),
    (ConsentRecord.Identity.FIRST_NAME, _("My first name")),
    (ConsentRecord.Identity.PSEUDONYM, _("A name I choose")),
]
NAMED = {ConsentRecord.Identity.FIRST_NAME, ConsentRecord.Identity.PSEUDONYM, ConsentRecord.Identity.FULL_NAME}


class ConsentChoicesForm(ShareStepForm):
    """The choices a consent record holds, against one version of the consent text: asked when sharing, and again
    whenever the contributor changes them on their private page. Nothing is pre-ticked."""

    choice_hints = {
        "audience": {
            ConsentRecord.Audience.BOTH: _("On this website, and researchers may quote or study it."),
            ConsentRecord.Audience.PUBLIC: _("On this website only."),
            ConsentRecord.Audience.RESEARCHERS: _("Not on the website."),
        },
        "media_use": {
            ConsentRecord.MediaUse.PUBLISH_MEDIA: _("People can hear you, and see you in a video."),
            ConsentRecord.MediaUse.TRANSCRIPT_ONLY: _("Only the written version is published."),
        },
    }
    consent_version = forms.CharField(widget=forms.HiddenInput)
    audience = _radio(
        _("Who may see it, and may researchers use it?"), AUDIENCE_CHOICES, _("Choose who may see your story.")
    )
    identity = _radio(
        _("How would you like to be named?"),
        IDENTITY_CHOICES,
        _("Choose how you'd like to be named."),
        help_text=_("Anonymous is safest: leave out details that could identify you."),
    )
    display_name = forms.CharField(
        label=_("The name to show"),
        required=False,
        max_length=80,
        error_messages={"max_length": _("Please keep the name to 80 characters or fewer.")},
    )
    media_use = forms.ChoiceField(
        label=_("Your voice and face"),
        choices=[
            (ConsentRecord.MediaUse.PUBLISH_MEDIA, _("Publish my recording")),
            (ConsentRecord.MediaUse.TRANSCRIPT_ONLY, _("Transcript only")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether we may publish your recording, or only your words.")},
    )
    expires_on = forms.DateField(
        label=_("Take it down on this date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to keep it up until you take it down. For example 31/12/2027."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y"],
        error_messages={"invalid": _("Enter the date as day, month and year, for example 31/12/2027.")},
    )
    minimal_edits = forms.ChoiceField(
        label=_("May moderators remove names, places, dates and contact details without asking you? (optional)"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Any other change is always shown to you first. If you don't answer, we ask you."),
    )
    agree = forms.BooleanField(
        label=_("I've read the words above and I agree to them for this story."),
        error_messages={"required": _("Tick the box to say you agree, or come back when you're ready.")},
    )

    def __init__(self, *args, consent_text: ConsentText, is_media: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_text = consent_text
        self.fields["consent_version"].initial = consent_text.version_hash
        if not is_media:
            del self.fields["media_use"]

    def clean_consent_version(self):
        if self.cleaned_data["consent_version"] != self.consent_text.version_hash:
            # Shown again with the new words, the form must carry their version, or the error would never clear.
            self.data = self.data.copy()
            self.data["consent_version"] = self.consent_text.version_hash
            raise forms.ValidationError(
                gettext("The words you agreed to have just been updated. Please read them again before you carry on.")
            )
        return self.cleaned_data["consent_version"]

    def clean_minimal_edits(self):
        return self.cleaned_data["minimal_edits"] == "yes"

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        if expires_on and expires_on <= timezone.localdate():
            raise forms.ValidationError(gettext("Choose a date in the future, or leave it empty."))
        return expires_on

    def clean(self):
        cleaned = super().clean()
        identity, name = cleaned.get("identity"), cleaned.get("display_name", "")
        if identity == ConsentRecord.Identity.ANONYMOUS:
            # The name box sits inside the question: a name typed before choosing "anonymous" is simply not used.
            cleaned["display_name"] = ""
        elif identity and not name and "display_name" not in self.errors:
            self.add_error("display_name", gettext("Enter the name you'd like us to show, or choose anonymous."))
        if audience := cleaned.get("audience"):
            cleaned["research_use"] = RESEARCH_USE[audience]
        return cleaned


class ChoicesForm(ConsentChoicesForm):
    """Step 3 of the share flow: the consent choices, an email address, and optional "more choices"."""

    field_order = [
        *(name for name in ConsentChoicesForm.base_fields if name not in ("expires_on", "minimal_edits", "agree")),
        "email",
        "expires_on",
        "minimal_edits",
        "content_notes",
        "themes",
        "suggested_theme",
        "agree",
    ]

    email = forms.EmailField(
        label=_("Your email address (optional)"),
        required=False,
        help_text=_("Only to tell you about your story, or send you a new link if you lose yours. Never published."),
        error_messages={"invalid": _("Enter an email address like name@example.com, or leave it empty.")},
    )
    content_notes = forms.ModelMultipleChoiceField(
        label=_("Does your story talk about any of these?"),
        queryset=ContentNote.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Readers see these notes first."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Which themes fit your story?"),
        queryset=Theme.objects.filter(origin=Theme.Origin.CURATED),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    suggested_theme = forms.CharField(
        label=_("A theme of your own"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Please keep the suggestion to 200 characters or fewer.")},
    )


class CheckForm(ShareStepForm):
    """The last step: the person checks their answers and sends. Carries the start time and the form's token."""

    started = forms.CharField(widget=forms.HiddenInput)
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)

    def seconds_taken(self) -> float | None:
        return abuse.seconds_since_started(self.data.get("started", ""))


class ChangeChoicesForm(ConsentChoicesForm):
    """The contributor's choices again, on their private page, shown as they stand."""

    @classmethod
    def initial_from(cls, choices) -> dict:
        identity = choices.identity
        if identity == ConsentRecord.Identity.FULL_NAME:  # no longer offered as such: a name they chose
            identity = ConsentRecord.Identity.PSEUDONYM
        return {
            "audience": choices.audience,
            "identity": identity,
            "display_name": choices.display_name,
            "media_use": choices.media_use,
            "expires_on": choices.expires_on,
            "minimal_edits": "yes" if choices.minimal_edits_preauthorised else "no",
        }

    def choices(self) -> dict:
        """The cleaned answers, named as a consent record names them."""
        answers = self.cleaned_data
        return {
            "audience": answers["audience"],
            "identity": answers["identity"],
            "display_name": answers["display_name"],
            "media_use": answers.get("media_use") or ConsentRecord.MediaUse.PUBLISH_MEDIA,
            "research_use": answers["research_use"],
            "expires_on": answers["expires_on"],
            "minimal_edits_preauthorised": answers["minimal_edits"],
        }


# Sharing a story with someone in the admin (assisted sharing): how the person told it, as the first question asks.
SAID, RECORDING, PAPER = "said", "recording", "paper"
ASSISTED_WAYS = {
    SAID: ("They tell it, and you type it as they say it", "In their words, as they say them: don't tidy them up."),
    RECORDING: (
        "A recording of them telling it",
        "A voice memo or video from a phone, checked as on the share form; it is written out for them to check.",
    ),
    PAPER: (
        "They wrote it on a paper form",
        "Type the words from the form exactly, and add a photo or scan of it: it is kept privately with the story.",
    ),
}
ASSISTED_CONSENT_METHODS = [
    (ConsentRecord.Method.READ_ALOUD, "You read the words aloud to them (or they read them), and they agreed"),
    (ConsentRecord.Method.SIGNED_FORM, "They signed a paper consent form"),
]


class AssistedForm(forms.Form):
    """What only assisted sharing asks: how the person agreed, and the photos or scans of paper that go with it."""

    consent_method = forms.ChoiceField(
        label="How did they agree?",
        choices=ASSISTED_CONSENT_METHODS,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how they agreed to the words above."},
    )
    consent_scan = forms.FileField(
        label="A photo or scan of the signed consent form",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="Needed if they signed a form. Kept privately with the story, seen only by moderators, and erased "
        "with it. Give the paper form back to them or destroy it, as your service does.",
    )
    story_scan = forms.FileField(
        label="A photo or scan of the paper form with their story",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="So a moderator can check the typing. Kept privately with the story and erased with it.",
    )

    def __init__(self, *args, way: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.way = way
        if way != PAPER:
            del self.fields["story_scan"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_method") == ConsentRecord.Method.SIGNED_FORM and not cleaned.get("consent_scan"):
            self.add_error("consent_scan", "Add a photo or scan of the form they signed, or choose read aloud.")
        if self.way == PAPER and not cleaned.get("story_scan") and "story_scan" not in self.errors:
            self.add_error("story_scan", "Add a photo or scan of the paper form their story is written on.")
        return cleaned


def answers_as_submission(story: StoryForm, choices: ChoicesForm, **way) -> Submission:
    """A person's answers on the story and choices forms (both valid), as `submit_story` takes them; `way` is what
    the way they shared adds: the recording, the consent text they saw, the form's token, the channel."""
    answers = choices.cleaned_data
    return Submission(
        title=story.cleaned_data["title"],
        text=story.cleaned_data.get("text", ""),
        stated_language=story.cleaned_data["language"],
        perspective=story.cleaned_data["perspective"],
        audience=answers["audience"],
        identity=answers["identity"],
        media_use=answers.get("media_use") or ConsentRecord.MediaUse.PUBLISH_MEDIA,
        research_use=answers["research_use"],
        expires_on=answers["expires_on"],
        minimal_edits_preauthorised=answers["minimal_edits"],
        display_name=answers["display_name"],
        email=answers["email"],
        content_notes=list(answers["content_notes"]),
        themes=list(answers["themes"]),
        suggested_theme=answers["suggested_theme"],
        added_answers={name: story.cleaned_data[name] for name in story.added_questions},
        **way,
    )
