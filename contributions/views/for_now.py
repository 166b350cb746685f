"""Take it down for now / put it back, from /my-story/<key>/: the story leaves the site without being erased, and
returns as it was (moderation.hiding). Withdrawing, which erases, stays a separate choice."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from moderation import hiding
from moderation.models import Contribution
from moderation.workflows import NotNow

from ..keys import opens_story


@opens_story
@require_http_methods(["GET", "POST"])
def take_down(request, contribution: Contribution, key: str):
    """GET: what taking it down for now means. POST: take it down."""
    possible = hiding.may_take_down_for_now(contribution)
    if request.method == "POST" and possible:
        try:
            hiding.take_down_for_now(contribution)
        except NotNow:
            possible = False  # it changed meanwhile (a moderator or a second tab): say so below
        else:
            messages.success(
                request, gettext("Your story is taken down. It is kept, and you can put it back at any time.")
            )
            return redirect("contributions:my_story", key=key)
    return _answer(request, "contributions/my_story/take_down.html", contribution, key, possible)


@opens_story
@require_http_methods(["GET", "POST"])
def put_back(request, contribution: Contribution, key: str):
    """GET: what putting it back means. POST: publish it again (or send it for review if its words changed)."""
    possible = hiding.may_put_back(contribution)
    if request.method == "POST" and possible:
        try:
            as_it_was = hiding.put_back(contribution)
        except NotNow:
            possible = False
        else:
            messages.success(
                request,
                gettext("Your story is going back on the site. It can take a few minutes.")
                if as_it_was
                else gettext(
                    "Your story has changed since it was published, so a moderator will read it before it goes back."
                ),
            )
            return redirect("contributions:my_story", key=key)
    return _answer(request, "contributions/my_story/put_back.html", contribution, key, possible)


def _answer(request, template: str, contribution: Contribution, key: str, possible: bool):
    """The confirmation page, or, after a POST that could not be carried out (already down, or back), why not."""
    context = {"key": key, "contribution": contribution, "page": contribution.story, "possible": possible}
    return render(request, template, context, status=409 if request.method == "POST" else 200)
