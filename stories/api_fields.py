"""API serializer fields for computed public parts of a story (kept apart from api.py so models can use them).

Links start with the configured site address (WAGTAILAPI_BASE_URL), as Wagtail's own detail links do: not with the
request's host, nor with the Wagtail Site record's host and port.
"""

from rest_framework import serializers
from wagtail.api.utils import get_full_url

from . import links


class PublicLinkField(serializers.Field):
    """An absolute link to one public part of a story (its media or captions), or null when it has none."""

    def __init__(self, link_name: str, **kwargs):
        self.link_name = link_name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, story):
        url = getattr(links, self.link_name)(story)
        return get_full_url(self.context["request"], url) if url else None
