"""Days in templates, in the reader's language (base.dates): `{{ day|long_date }}`, and `{{ days|day_list }}` for
several as one phrase ("5 May 2026, 7 June 2026"), so a sentence listing them can be one message."""

from django import template

from .. import dates

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value) -> str:
    return dates.long_date(value) if value else ""


@register.filter
def day_list(days) -> str:
    return ", ".join(dates.long_date(day) for day in days)
