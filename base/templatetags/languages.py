"""The interface's languages in templates: an address in the reader's language, and the same page in each language
(the addresses themselves: base.languages)."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from ..addresses import page_query, public_address
from ..languages import english_path, in_language, local_path

register = template.Library()


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str
    path: str  # with the page's own query (a list's filters), for the language switcher
    address: str  # absolute and without the query, for hreflang
    current: bool


@register.simple_tag
def localpath(path: str) -> str:
    """A fixed address of the site (a Wagtail page such as "/stories/") in the language being shown."""
    return local_path(path)


def alternates(request: HttpRequest, home: bool = False) -> list[Alternate]:
    english = "/" if home else english_path(request.path)
    query = "" if home else page_query(request)
    active = get_language()
    return [
        Alternate(
            code=code,
            name=name,
            path=in_language(english, code) + query,
            address=public_address(request, in_language(english, code)),
            current=code == active,
        )
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def language_alternates(context, home: bool = False) -> list[Alternate]:
    """This page in every language of the interface, the one being shown marked as current; with `home`, the home
    page in each language (error pages, which must not repeat the address that was asked for)."""
    request = context.get("request")
    return alternates(request, home) if request is not None else []
