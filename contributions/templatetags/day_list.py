"""`{{ days|day_list }}`: dates as one phrase ("5 May 2026, 7 June 2026"), each written as the `date` filter's
"j F Y" in the reader's language, so a sentence listing them can be one message for translators."""

from django import template
from django.template.defaultfilters import date

register = template.Library()


@register.filter
def day_list(days) -> str:
    return ", ".join(date(day, "j F Y") for day in days)
