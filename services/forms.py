from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from moderation import policy
from stories.models import StoryPage

from .models import Responder, Response, Service, StoryService
from .responses import RESPONDERS, send_invitation

BODY_MAX = 4000
# The share flow's question (contributions.forms.STORY_QUESTIONS_HOOK): its field's name in the story step.
SHARE_QUESTION = "service_named"


class ServiceNameInput(forms.TextInput):
    """A text box that offers the directory's names as the person types: the browser's own <datalist>, so it needs
    no JavaScript, and any other words are still taken."""

    def __init__(self):
        super().__init__(attrs={"list": "service-names", "autocomplete": "off"})

    def render(self, name, value, attrs=None, renderer=None):
        names = Service.objects.values_list("name", flat=True)
        options = format_html_join("", '<option value="{}"></option>', ((name,) for name in names))
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="service-names">{}</datalist>', box, options)


def share_question() -> dict[str, forms.Field]:
    return {
        SHARE_QUESTION: forms.CharField(
            required=False,
            max_length=160,
            label=_("Which service is your story about? (optional)"),
            help_text=_(
                "Start typing to choose it from our list, or write its name. Once your story is published, "
                "the service can read it and may respond; it never sees your story before."
            ),
            error_messages={"max_length": _("Please keep the service's name to 160 characters or fewer.")},
            widget=ServiceNameInput(),
        )
    }


class MapServiceForm(forms.Form):
    """A moderator finds the service a contributor named in words in the directory."""

    service = forms.ModelChoiceField(
        queryset=Service.objects.all(),
        label="The service in our list",
        error_messages={"required": "Choose the service they meant.", "invalid_choice": "Choose a service."},
    )


class ResponseForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.none(), empty_label=None, label="Responding for")
    kind = forms.ChoiceField(
        choices=Response.Kind.choices,
        widget=forms.RadioSelect,
        initial=Response.Kind.RESPONSE,
        label="What are you saying?",
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=BODY_MAX,
        label="Your response",
        help_text="Shown in public under the story, with your service's name and your role.",
    )
    change = forms.CharField(
        max_length=300,
        required=False,
        label="What is changing, or has changed, in one sentence",
        help_text='Needed when you choose "A change is planned" or "A change was made".',
    )

    show_name = forms.BooleanField(
        required=False,
        label="Show my name with this response",
        help_text="Otherwise only your role is shown.",
    )

    def __init__(self, *args, services, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        if name:
            self.fields["show_name"].label = f"Show my name, {name}, with this response"
        else:  # no name on their account: there is nothing to show but the role
            del self.fields["show_name"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind", Response.Kind.RESPONSE) != Response.Kind.RESPONSE and not cleaned.get("change"):
            self.add_error("change", "Please say in one sentence what is changing, or has changed.")
        return cleaned


class DecisionForm(forms.Form):
    """A moderator's decision on a response: publish, or decline for a reason on the policy's closed list."""

    PUBLISH = "publish"
    DECLINE = "decline"

    decision = forms.ChoiceField(choices=[(PUBLISH, "Publish"), (DECLINE, "Do not publish")], widget=forms.RadioSelect)
    code = forms.ChoiceField(
        choices=[("", "Choose a reason"), *policy.choices(policy.ReasonKind.DECLINE)],
        required=False,
        label="Reason on the policy",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not cleaned.get("code"):
            self.add_error("code", "A response is declined only for a reason on the published policy.")
        return cleaned


class TakeDownForm(forms.Form):
    """A staff moderator takes a published response down: only for a reason on the policy's closed list."""

    code = forms.ChoiceField(
        choices=[("", "Choose a reason"), *policy.choices(policy.ReasonKind.DECLINE)],
        label="Reason on the policy",
        error_messages={"required": "A response is taken down only for a reason on the published policy."},
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class StoryServiceForm(WagtailAdminModelForm):
    """A moderator links a published story to a service: only as a proposal, which the contributor confirms."""

    class Meta:
        model = StoryService
        fields = ["story", "service"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Published stories only: a draft's title is the contributor's, and no service hears of a story before.
        self.fields["story"].queryset = StoryPage.objects.published()

    def save(self, commit=True):
        # A new link, or a link moved to another story or service, is the moderator's proposal: the contributor's
        # confirmation was of the link as it stood, never of what it is changed to.
        if self.instance._state.adding or {"story", "service"} & set(self.changed_data):
            self.instance.source = StoryService.Source.MODERATOR
            self.instance.confirmed = False
        return super().save(commit)


class ResponderInviteForm(WagtailAdminModelForm):
    """Staff invite someone to respond for services: their account is made (or found) by email address, they join
    the Responders group, and they are emailed a link to set their password (responses.send_invitation); then they
    set up the two-step sign-in like everyone else."""

    email = forms.EmailField(help_text="Their work address: the alerts go there.")

    class Meta:
        model = Responder
        fields = ["role", "services"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email
            self.fields["email"].disabled = True

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if not self.instance.pk and Responder.objects.filter(user__username=email).exists():
            raise forms.ValidationError("This person already responds for a service: add services to their entry.")
        # A responder has an account of their own: inviting an address would otherwise quietly give an existing
        # account (a moderator's, say) a responder's rights, and invite nobody.
        users = get_user_model().objects
        if not self.instance.pk and users.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            raise forms.ValidationError(
                "Someone already has an account with this address. A responder needs an account of their own: "
                "please use another address."
            )
        return email

    @transaction.atomic
    def save(self, commit=True):
        invited = not self.instance.pk
        if invited:
            email = self.cleaned_data["email"]
            user, created = get_user_model().objects.get_or_create(username=email, defaults={"email": email})
            if created:
                user.set_unusable_password()
                user.save()
            self.instance.user = user
        responder = super().save(commit)
        responder.user.groups.add(Group.objects.get(name=RESPONDERS))
        if invited:  # once their services are saved too (the admin saves the form's many-to-many after this)
            transaction.on_commit(lambda: send_invitation(responder))
        return responder
