"""Days as readers read them, in the interface's language: one translatable format, used on every page, in training
packs and in charts, so translators set it once ("6 December 2026"; Spanish "6 de diciembre de 2026")."""

import datetime

from django.utils import dateformat, timezone
from django.utils.translation import pgettext


def long_date(value: datetime.date | datetime.datetime) -> str:
    """A day as "6 December 2026", in the active language's words and order (a datetime in the site's time zone)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    # Translators: a date format, in the letters of Django's "date" filter: j the day, F the month's name, Y the
    # year; any other letter that should be shown as it is needs a backslash before it (Spanish: j \d\e F \d\e Y).
    return dateformat.format(value, pgettext("date format: day, month's name, year", "j F Y"))
