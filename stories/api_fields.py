"""API serializer fields for computed public parts of a story (kept apart from api.py so models can use them)."""

from rest_framework import serializers


class PublicLinkField(serializers.Field):
    """An absolute link to one public part of a story (its media or captions), or null when it has none."""

    def __init__(self, link_name: str, **kwargs):
        self.link_name = link_name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, story):
        from . import links

        url = getattr(links, self.link_name)(story)
        return self.context["request"].build_absolute_uri(url) if url else None
