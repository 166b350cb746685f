"""The contributor's say over services on their private page (/my-story/<key>/): which services their story is
about (a moderator's proposal shows publicly only once they confirm it) and whether services may respond."""

from django import forms
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from contributions.keys import opens_story

from .models import ResponsePreference, StoryService
from .responses import responses_allowed


class ServicesChoiceForm(forms.Form):
    confirm = forms.IntegerField(required=False)
    not_about = forms.IntegerField(required=False)
    responses = forms.ChoiceField(choices=[("allow", "allow"), ("none", "none")], required=False)


def my_story_section(request, story) -> str:
    links = list(StoryService.objects.filter(story=story).select_related("service").order_by("service__name"))
    if not links:
        return ""
    key = request.resolver_match.kwargs.get("key", "") if request.resolver_match else ""
    context = {
        "confirmed": [link for link in links if link.confirmed],
        "proposed": [link for link in links if not link.confirmed],
        "responses_allowed": responses_allowed(story),
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
            for link in links.filter(pk=link_id):
                link.confirmed = True
                link.save(update_fields=["confirmed"])
        if link_id := form.cleaned_data["not_about"]:
            for link in links.filter(pk=link_id):
                link.delete()  # through the model, so cached public pages are told
        if choice := form.cleaned_data["responses"]:
            ResponsePreference.objects.update_or_create(
                story_id=contribution.story_id, defaults={"responses_allowed": choice == "allow"}
            )
    return redirect("contributions:my_story", key=key)
