"""`{{ days|day_list }}`: dates as one phrase ("5 May 2026, 7 June 2026"), each in the reader's language and word
order (the same translatable date format as the pages' own dates), so a sentence listing them can be one message."""

from django import template
from django.template.defaultfilters import date
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def day_list(days) -> str:
    day_format = pgettext("date format: day, month's name, year", "j F Y")
    return ", ".join(date(day, day_format) for day in days)
