"""Addresses in the interface's languages: English lives at unprefixed addresses and every other language under
/<code>/ (voicebox/urls.py), so the same page in another language is its address with the language's prefix swapped:
no lookup, and it holds for Wagtail's pages, the site's own views and even an address that answers 404."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import get_language


def in_language(path: str, code: str) -> str:
    """`path` (an address in English, "/stories/") in the language `code`."""
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


def language_of(path: str) -> str:
    """The interface language an address is in (English for an unprefixed one)."""
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE and path.startswith(f"/{code}/"):
            return code
    return settings.LANGUAGE_CODE


def english_path(path: str) -> str:
    """The English address of a path in any of the interface's languages."""
    code = language_of(path)
    return path if code == settings.LANGUAGE_CODE else path[len(code) + 1 :]


def local_path(path: str) -> str:
    """A fixed address of the site (a Wagtail page such as "/stories/") in the language being shown."""
    return in_language(path, get_language() or settings.LANGUAGE_CODE)


def in_every_language(url: str) -> list[str]:
    """An absolute address (in any language) in every interface language."""
    parts = urlsplit(url)
    english = english_path(parts.path)
    return [urlunsplit(parts._replace(path=in_language(english, code))) for code, _name in settings.LANGUAGES]
