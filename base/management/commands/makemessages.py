"""Django's makemessages, also gathering the default words of the site's own pages (base.trust_pages and
base.easy_read): each heading, paragraph and easy-read line there is written through a helper, which xgettext is told
to read as a translation call. Those words are stored in the pages; `{{ words|site_words }}` shows a page's words in the
reader's language while they are still the defaults (base/templatetags/site_words.py)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=_heading",
        "--keyword=_paragraph",
        "--keyword=_row:2",
    ]
