"""The contributor answers: a reply to a decline (besides the appeal) or to a safeguarding pause, sent from the private
page to /my-story/<key>/reply/, and their own word that the story criticises a service (/my-story/<key>/critical/).

A reply reaches the people who decided (`moderation.workflows.reply_to_decision`); the story stays where it is. A form
with a mistake comes back on the private page with what was typed still in it.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from moderation import workflows
from moderation.models import Contribution, Decision

from ..keys import opens_story
from .my_story import render_story_page, reply_form_for


@opens_story
@require_http_methods(["GET", "POST"])
def reply(request, contribution: Contribution, key: str):
    if request.method == "GET":
        return redirect("contributions:my_story", key=key)
    form = reply_form_for(contribution, request.POST)
    if form is None:
        # Nothing to answer now (the story has moved on): say so, and keep what they wrote in front of them.
        return render_story_page(request, contribution, key, status=409, unsent_reply=request.POST.get("reply-message"))
    if not form.is_valid():
        return render_story_page(request, contribution, key, status=400, reply_form=form)
    try:
        workflows.reply_to_decision(
            contribution, form.cleaned_data["message"].strip(), form.cleaned_data.get("quick_answers", [])
        )
    except workflows.NotNow:
        return render_story_page(request, contribution, key, status=409, unsent_reply=form.cleaned_data["message"])
    if form.kind == Decision.Kind.PAUSE:
        messages.success(request, gettext("Thank you. We've sent your answer to the people looking after your safety."))
    else:
        messages.success(request, gettext("Thank you. We've sent your reply to the moderators."))
    return redirect("contributions:my_story", key=key)


@opens_story
@require_POST
def mark_critical(request, contribution: Contribution, key: str):
    marked = request.POST.get("critical") == "yes"
    workflows.mark_critical_by_contributor(contribution, marked)
    if marked:
        messages.success(
            request, gettext("Thank you. Your story is counted as critical of a service in our public report.")
        )
    else:
        messages.success(
            request, gettext("Your story is no longer counted as critical of a service in our public report.")
        )
    return redirect("contributions:my_story", key=key)
