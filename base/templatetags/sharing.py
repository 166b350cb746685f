"""The current page's canonical address, for the canonical link, Open Graph tags and the story page's share control."""

from django import template

from ..addresses import public_address

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """Without the query: the filters and pages of a list share their list's address."""
    request = context["request"]
    return public_address(request, request.path)
