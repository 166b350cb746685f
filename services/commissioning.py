"""What commissioners see: figures by service, area and period, on screen and as CSV.

Counts, themes and response figures only: no story's words, title or byline, so nothing here needs a contributor's
research consent, and nothing private can leak through it.
"""

import csv
from dataclasses import dataclass

from django import forms
from django.db.models import Count
from django.http import HttpResponse

from stories.models import Theme

from .directory import ServiceFigures, figures, stories_about
from .models import Service

TOP_THEMES = 3


class CommissioningFilter(forms.Form):
    area = forms.CharField(required=False, max_length=120)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Service.Kind.choices], required=False)
    published_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    published_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("published_from"), cleaned.get("published_to")
        if start and end and start > end:
            self.add_error("published_to", "The end of the period is before its start.")
        return cleaned


@dataclass(frozen=True)
class ServiceRow:
    service: Service
    figures: ServiceFigures
    themes: list[str]


def rows(filters: CommissioningFilter) -> list[ServiceRow]:
    data = filters.cleaned_data if filters.is_valid() else {}
    services = Service.objects.all()
    if data.get("area"):
        services = services.filter(area__icontains=data["area"])
    if data.get("kind"):
        services = services.filter(kind=data["kind"])
    found = []
    for service in services:
        stories = stories_about(service)
        if data.get("published_from"):
            # By the day in the site's time zone, read by the database: no datetime is made from the date, so a
            # period reaching the calendar's ends (9999-12-31) is a period, not an overflow.
            stories = stories.filter(first_published_at__date__gte=data["published_from"])
        if data.get("published_to"):
            stories = stories.filter(first_published_at__date__lte=data["published_to"])
        themes = (
            Theme.objects.filter(stories__in=stories.values("pk"))
            .annotate(count=Count("stories"))
            .order_by("-count", "name")
            .values_list("name", flat=True)[:TOP_THEMES]
        )
        found.append(ServiceRow(service, figures(service, stories), list(themes)))
    return found


CSV_HEADER = [
    "Service",
    "Organisation",
    "Area",
    "Kind",
    "Published stories",
    "Stories responded to",
    "Share responded to (%)",
    "Median days to respond",
    "Changes recorded",
    "Most common themes",
]


def as_csv(found: list[ServiceRow]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="voicebox-services.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in found:
        service, numbers = row.service, row.figures
        writer.writerow(
            [
                service.name,
                service.organisation,
                service.area,
                service.get_kind_display(),
                numbers.stories,
                numbers.responded_to,
                "" if numbers.share_responded_to is None else numbers.share_responded_to,
                "" if numbers.median_days_to_respond is None else numbers.median_days_to_respond,
                numbers.changes_recorded,
                "; ".join(row.themes),
            ]
        )
    return response
