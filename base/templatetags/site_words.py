"""`{{ words|site_words }}`: the site's own pages (trust pages, easy read) in the reader's language, while their words
are still the defaults they were made with.

Those pages are written once, by staff, and stored: the defaults they start with (base.trust_pages, base.easy_read) are
marked for translation, so a heading, paragraph, easy-read line, title or introduction that still says what the
default says is shown from the language's translation file, and one staff have rewritten is shown as they wrote it. The
contact address is left out of what is looked up ("{mail}"), so the words are the same on every deployment, and the
site's own links in a translation lead to the reader's language.
"""

import re

from django import template
from django.conf import settings
from django.utils.translation import get_language, gettext

from ..languages import in_language
from ..trust_pages import contact_link

register = template.Library()

_PARAGRAPH = re.compile(r"<p>((?:(?!<p>).)*)</p>", re.DOTALL)
_SITE_LINK = re.compile(r'href="(/(?!/)[^"]*)"')


def _translated(words: str) -> str | None:
    found = gettext(words)
    return found if found != words else None


@register.filter
def site_words(words) -> str:
    if not words or (get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE:
        return words
    text = str(words)
    mail = contact_link()
    asked = text.replace(mail, "{mail}")
    found = _translated(asked)
    if found is None and (single := _PARAGRAPH.fullmatch(asked)):  # an easy-read line is stored as one paragraph
        inner = _translated(single[1])
        found = None if inner is None else f"<p>{inner}</p>"
    if found is None:
        return words
    language = get_language()
    found = _SITE_LINK.sub(lambda link: f'href="{in_language(link[1], language)}"', found)
    return found.replace("{mail}", mail)
