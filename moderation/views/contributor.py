"""Opening a contributor's story from their key, for the edits and appeal pages beside /my-story/<key>/."""

from django.http import Http404
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from base.abuse import KEY_GUESS_RATE, ratelimit_key

from ..models import Contribution


def contribution_for_key(request, key: str) -> Contribution:
    """The contribution this key opens, or 404. Unknown keys count towards the key-guessing limit (429)."""
    contribution = Contribution.objects.for_key(key)
    if contribution is None or contribution.story_id is None:
        if is_ratelimited(request, group="story-key", key=ratelimit_key, rate=KEY_GUESS_RATE, increment=True):
            raise Ratelimited()
        raise Http404("No story matches this link.")
    return contribution
