"""The contributor's say over services on their private page (/my-story/<key>/): which services their story is
about (a moderator's proposal shows publicly only once they confirm it), whether services may respond, and their
reply to a published response (published under it once a moderator has checked it against the policy)."""

from django import forms
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from contributions.keys import opens_story

from .models import ResponsePreference, ResponseReply, Service, ServiceNamedInWords, StoryService
from .responses import alert_responders, published_under, responses_allowed, send_reply

REPLY_MAX = 4000


class ServicesChoiceForm(forms.Form):
    confirm = forms.IntegerField(required=False)
    not_about = forms.IntegerField(required=False)
    responses = forms.ChoiceField(choices=[("allow", "allow"), ("none", "none")], required=False)


class ReplyForm(forms.Form):
    experience = forms.ChoiceField(
        choices=[("", _("I'd rather not say")), *ResponseReply.Experience.choices],
        required=False,
        widget=forms.RadioSelect,
        label=_("Does the change match your experience?"),
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=REPLY_MAX,
        required=False,
        label=_("Your reply"),
        help_text=_("Shown in public under the response once a moderator has checked it, without your name."),
    )

    def __init__(self, *args, records_change: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not records_change:
            del self.fields["experience"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("body") and not cleaned.get("experience"):
            raise forms.ValidationError(
                gettext("Please write a reply, or say whether the change matches your experience.")
            )
        return cleaned


def my_story_section(request, story) -> str:
    links = list(StoryService.objects.filter(story=story).select_related("service").order_by("service__name"))
    # Named in their own words and not yet found in the directory by a moderator: shown so they know it was heard.
    named_in_words = list(ServiceNamedInWords.objects.filter(story=story).order_by("created_at", "pk"))
    if not links and not named_in_words and not Service.objects.exists():
        return ""
    answered = set(ResponseReply.objects.filter(response__story=story).values_list("response_id", flat=True))
    key = request.resolver_match.kwargs.get("key", "") if request.resolver_match else ""
    context = {
        "confirmed": [link for link in links if link.confirmed],
        "proposed": [link for link in links if not link.confirmed],
        "named_in_words": named_in_words,
        "responses_allowed": responses_allowed(story),
        "responses": [(response, response.pk in answered) for response in published_under(story)],
        "key": key,
    }
    return render_to_string("services/includes/my_story_services.html", context, request=request)


@require_POST
@opens_story
def choose(request, contribution, key: str):
    form = ServicesChoiceForm(request.POST)
    if form.is_valid() and contribution.story_id:
        links = StoryService.objects.filter(story_id=contribution.story_id)
        if link_id := form.cleaned_data["confirm"]:
            for link in links.filter(pk=link_id, confirmed=False):
                link.confirmed = True
                link.save(update_fields=["confirmed"])
                # Already published: the service's responders hear of it now (title and link, as at publication).
                transaction.on_commit(lambda s=link.story_id, v=link.service_id: alert_responders(s, [v]))
        if link_id := form.cleaned_data["not_about"]:
            for link in links.filter(pk=link_id):
                link.delete()  # through the model, so cached public pages are told
        if choice := form.cleaned_data["responses"]:
            ResponsePreference.objects.update_or_create(
                story_id=contribution.story_id, defaults={"responses_allowed": choice == "allow"}
            )
    return redirect("contributions:my_story", key=key)


@opens_story
def reply(request, contribution, key: str, response_id: int):
    """Reply once to a published response under the contributor's own story."""
    response = published_under(contribution.story).filter(pk=response_id).first() if contribution.story_id else None
    if response is None or response.replies.exists():
        raise Http404("No response to reply to here.")
    form = ReplyForm(request.POST or None, records_change=response.records_change)
    if request.method == "POST" and form.is_valid():
        send_reply(contribution.story, response.pk, form.cleaned_data["body"], form.cleaned_data.get("experience", ""))
        return redirect("contributions:my_story", key=key)
    context = {"response": response, "form": form, "key": key}
    return render(request, "services/reply.html", context, status=400 if form.errors else 200)


class NameServiceForm(forms.Form):
    service = forms.CharField(
        max_length=160,
        label=_("Which service is your story about?"),
        help_text=_("Start typing its name, and choose it from the list."),
    )

    def clean_service(self):
        name = self.cleaned_data["service"].strip()
        service = Service.objects.filter(name__iexact=name).first()
        if service is None:
            raise forms.ValidationError(
                gettext(
                    "We could not find a service with that name in our list. Check the spelling, or choose one of "
                    "the names offered as you type."
                )
            )
        return service


@opens_story
def name_service(request, contribution, key: str):
    """The contributor names a service from the directory their story is about: their own naming, so confirmed."""
    form = NameServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and contribution.story_id:
        link, created = StoryService.objects.get_or_create(
            story_id=contribution.story_id,
            service=form.cleaned_data["service"],
            defaults={"source": StoryService.Source.CONTRIBUTOR},
        )
        newly_named = created or not link.confirmed
        if not link.confirmed:
            link.confirmed = True
            link.save(update_fields=["confirmed"])
        if newly_named:  # a published story's responders hear of it now; a draft's hear nothing until publication
            transaction.on_commit(lambda: alert_responders(link.story_id, [link.service_id]))
        return redirect("contributions:my_story", key=key)
    context = {"form": form, "key": key, "services": Service.objects.values_list("name", flat=True)}
    return render(request, "services/name_service.html", context, status=400 if form.errors else 200)
