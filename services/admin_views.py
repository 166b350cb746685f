"""The admin screens of services: a responder's stories and response form, the moderators' check of responses, and
their finding in the directory a service a contributor named in words."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from moderation import roles
from stories.governance import review_url
from stories.media_delivery import may_review_story

from . import commissioning, responses
from .forms import DecisionForm, MapServiceForm, ResponseForm, TakeDownForm
from .models import Response, ServiceNamedInWords, StoryService


def _responder(request):
    responder = responses.responder_for(request.user)
    if responder is None:
        raise PermissionDenied
    return responder


def responder_stories(request):
    """Published stories about the responder's own services, and what they have sent about each."""
    responder = _responder(request)
    stories = list(responses.visible_stories(responder))
    sent = {}
    for response in Response.objects.filter(responder=responder, story__in=stories):
        sent.setdefault(response.story_id, []).append(response)
    rows = [{"story": story, "sent": sent.get(story.pk, [])} for story in stories]
    context = {"page_title": "Stories about your service", "rows": rows, "responder": responder}
    return TemplateResponse(request, "services/admin/responder_stories.html", context)


def respond(request, story_id: int):
    """Read one published story about the responder's service, and respond to it. Any other story is not found."""
    responder = _responder(request)
    story = get_object_or_404(responses.visible_stories(responder), pk=story_id)
    allowed = responses.responses_allowed(story)
    services = responses.services_of(responder, story)
    form = ResponseForm(request.POST or None, services=services, name=request.user.get_full_name())
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            responses.send_response(
                responder,
                story,
                data["service"],
                data["kind"],
                data["body"],
                data["change"],
                show_name=data.get("show_name", False),
            )
            messages.success(request, "Thank you. A moderator will check your response against the policy.")
            return redirect("services_admin:stories")
    context = {
        "page_title": story.title,
        "story": story,
        "form": form,
        "allowed": allowed,
        "sent": Response.objects.filter(responder=responder, story=story),
    }
    return TemplateResponse(request, "services/admin/respond.html", context)


def _reviewer(request):
    if not roles.can_review(request.user):
        raise PermissionDenied


def review_responses(request):
    """Services' responses and contributors' replies to them, waiting for a moderator's decision."""
    _reviewer(request)
    context = {
        "page_title": "Responses to check",
        "rows": [(response, DecisionForm(prefix=f"r{response.pk}")) for response in responses.pending_responses()],
        "replies": [(reply, DecisionForm(prefix=f"c{reply.pk}")) for reply in responses.pending_replies()],
    }
    return TemplateResponse(request, "services/admin/review_responses.html", context)


def _decide(request, item, prefix: str, listed_as: str):
    form = DecisionForm(request.POST, prefix=prefix)
    if not form.is_valid():
        context = {"page_title": "Responses to check", "rows": [], "replies": [], listed_as: [(item, form)]}
        return TemplateResponse(request, "services/admin/review_responses.html", context, status=400)
    if form.cleaned_data["decision"] == DecisionForm.PUBLISH:
        responses.publish(item, request.user)
        messages.success(request, "Published under the story.")
    else:
        responses.decline(item, request.user, form.cleaned_data["code"], form.cleaned_data["note"])
        messages.success(request, "It will not be published.")
    return redirect("services_admin:review")


@require_POST
def decide(request, pk: int):
    _reviewer(request)
    return _decide(request, get_object_or_404(responses.pending_responses(), pk=pk), f"r{pk}", "rows")


@require_POST
def decide_reply(request, pk: int):
    _reviewer(request)
    return _decide(request, get_object_or_404(responses.pending_replies(), pk=pk), f"c{pk}", "replies")


def map_named_service(request, pk: int):
    """A moderator who may review the story finds the service the contributor named in words in the directory: the
    contributor named it, so the link is theirs (confirmed), and the words are no longer needed."""
    named = get_object_or_404(ServiceNamedInWords.objects.select_related("story"), pk=pk)
    story = named.story.specific
    if not (roles.can_review(request.user) and may_review_story(request.user, story)):
        raise PermissionDenied
    form = MapServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        link, _ = StoryService.objects.get_or_create(story=story, service=form.cleaned_data["service"])
        link.source = StoryService.Source.CONTRIBUTOR
        link.save()  # the contributor's own naming: confirmed (StoryService.save)
        named.delete()
        if story.live:  # already published: its new service hears of it now, as at publication
            transaction.on_commit(lambda: responses.alert_responders(story.pk, [link.service_id]))
        messages.success(request, f"The story is now linked to {link.service.name}, as the contributor named it.")
        return redirect(review_url(story) or "services_admin:review")
    context = {"page_title": "Find the service they named", "named": named, "story": story, "form": form}
    return TemplateResponse(request, "services/admin/map_service.html", context, status=400 if form.errors else 200)


def take_down_response(request, pk: int):
    """A staff moderator takes a published response off its story, as a recorded decision under the policy."""
    if not responses.may_take_down(request.user):
        raise PermissionDenied
    response = get_object_or_404(
        Response.objects.filter(status=Response.Status.PUBLISHED).select_related("service", "story"), pk=pk
    )
    form = TakeDownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        responses.take_down(response, request.user, form.cleaned_data["code"], form.cleaned_data["note"])
        messages.success(request, "The response is taken down. The decision is in the audit log and the report.")
        return redirect(review_url(response.story.specific) or "services_admin:review")
    context = {"page_title": "Take a response down", "response": response, "form": form}
    return TemplateResponse(request, "services/admin/take_down.html", context, status=400 if form.errors else 200)


def named_services_section(request, story) -> str:
    """On the story's review screen: the services the contributor named, and their words to find in the directory."""
    links = StoryService.objects.filter(story=story).select_related("service").order_by("service__name")
    named = [(words, MapServiceForm(auto_id=f"named-{words.pk}-%s")) for words in story.services_named_in_words.all()]
    published = list(responses.published_under(story)) if responses.may_take_down(request.user) else []
    if not links and not named and not published:
        return ""
    context = {"links": links, "named": named, "published": published}
    return render_to_string("services/admin/review_section.html", context, request=request)


COMMISSIONING_PERMISSION = "services.view_commissioning"


def commissioning_dashboard(request):
    """Figures by service, area and period for commissioners (and staff); ?format=csv downloads the same rows."""
    if not request.user.has_perm(COMMISSIONING_PERMISSION):
        raise PermissionDenied
    filters = commissioning.CommissioningFilter(request.GET or None)
    found = commissioning.rows(filters)
    if request.GET.get("format") == "csv" and not filters.errors:
        return commissioning.as_csv(found)
    context = {"page_title": "Services in figures", "filters": filters, "rows": found}
    return TemplateResponse(
        request, "services/admin/commissioning.html", context, status=400 if filters.errors else 200
    )
