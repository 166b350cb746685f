"""The one way to open a story by its key: every /my-story/<key>/ page goes through `opens_story`.

The key is the only credential, written two ways: the 43-character key of the link shown after sharing, or its short
code (moderation.models.contributions.story_code) printed on the key card for typing by hand, which opens the same
pages at /my-story/<code>/ in any case, with or without its hyphens; both share one guessing budget. A client past the
key-guessing limit is refused (429) before any lookup; an unknown key counts towards that limit and gets the same 404
page as a missing one; a key whose story was withdrawn gets the withdrawn page. Every answer is never cached
(no-store) and never indexed, and the site-wide Referrer-Policy keeps the key from other sites.
"""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from base import abuse
from moderation.models import Contribution, WithdrawnStoryKey
from moderation.models.contributions import as_story_code, hash_story_key

KEY_GUESS_GROUP = "story-key"


def guessing(request: HttpRequest, *, count: bool) -> bool:
    """Whether this client has used up its budget of wrong secret addresses (story keys and codes, event links): with
    `count`, this miss is counted first. One budget for every kind, so guessing one kind does not add to another's."""
    return is_ratelimited(
        request, group=KEY_GUESS_GROUP, key=abuse.ratelimit_key, rate=abuse.KEY_GUESS_RATE, increment=count
    )


def private(response: HttpResponse) -> HttpResponse:
    # The site-wide Referrer-Policy (same-origin) already keeps the key from other sites; "no-referrer" would make
    # browsers send "Origin: null" with the withdraw form, which CSRF protection rightly refuses.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def opens_story(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Look the key up before the view runs: the view gets (request, contribution, key, ...), where a short code comes
    as printed, so the links the view makes from it look like the card."""

    @wraps(view)
    def wrapped(request: HttpRequest, key: str, *args, **kwargs) -> HttpResponse:
        if guessing(request, count=False):
            raise Ratelimited()
        contribution = Contribution.objects.for_key(key)
        if contribution is None or contribution.story_id is None:
            if contribution is None and WithdrawnStoryKey.objects.for_key(key):
                return private(render(request, "contributions/my_story/withdrawn.html"))
            if guessing(request, count=True):
                raise Ratelimited()
            raise Http404("No story matches this link.")
        if contribution.key_hash != (digest := hash_story_key(key)):
            # A story sent before short codes, opened by its key: from now on the code on its card opens it too.
            contribution.key_hash = digest
            contribution.save(update_fields=["key_hash"])
        return private(view(request, contribution, as_story_code(key) or key, *args, **kwargs))

    return never_cache(wrapped)
