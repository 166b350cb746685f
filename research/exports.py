"""Research exports: stories whose contributors said yes to research use, as CSV or JSON, each export recorded.

An export holds the story's words and what researchers need to read them in context: text, transcript with
timings, language, themes, how the story reached us (its channel: website, recorded in the browser, assisted...),
and the consent's scope and date. Never contact details, names, story keys or anything else from the private record.
When an exported story is withdrawn, everyone who exported it is asked to delete it.
"""

import csv
import io
import json
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from .corpus import research_contributions
from .models import ResearchExport, ResearchExportItem, ThemeMembership

logger = logging.getLogger(__name__)

# The fields of an export, in order. Adding one here is a decision about contributors' privacy: keep it to the story.
FIELDS = (
    "story_id",
    "language",
    "format",
    "channel",
    "text",
    "transcript",
    "curated_themes",
    "emerging_theme",
    "consent_audience",
    "consent_given_on",
    "consent_expires_on",
    "published_on",
)
# What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_rows(story_ids: Sequence[int] | None = None) -> list[dict]:
    """One row per research-consented story (optionally only those of `story_ids`), in story order."""
    contributions = research_contributions().select_related("story").order_by("story_id")
    if story_ids is not None:
        contributions = contributions.filter(story_id__in=story_ids)
    contributions = list(contributions)
    pages = [contribution.story for contribution in contributions]
    curated = {page.pk: [theme.name for theme in page.themes.all()] for page in pages}
    emerging = {
        membership.story_id: membership.theme
        for membership in ThemeMembership.objects.filter(story__in=pages).select_related("theme")
    }
    rows = []
    for contribution in contributions:
        page = contribution.story
        theme = emerging.get(page.pk)
        rows.append(
            {
                "story_id": page.pk,
                "language": page.language,
                "format": page.story_format,
                "channel": contribution.channel,
                "text": "\n\n".join(page.paragraphs),
                "transcript": [
                    {"start": segment.get("start"), "end": segment.get("end"), "text": segment.get("text", "").strip()}
                    for segment in page.transcript or []
                ],
                "curated_themes": curated[page.pk],
                "emerging_theme": theme.display_name if theme and not theme.hidden else "",
                "consent_audience": contribution.consent_audience,
                "consent_given_on": contribution.consent_given_at.date().isoformat(),
                "consent_expires_on": contribution.consent_expires_on.isoformat()
                if contribution.consent_expires_on
                else "",
                "published_on": page.first_published_at.date().isoformat() if page.first_published_at else "",
            }
        )
    return rows


def render_json(rows: list[dict]) -> str:
    return json.dumps({"stories": rows, "fields": list(FIELDS)}, ensure_ascii=False, indent=2)


def render_csv(rows: list[dict]) -> str:
    """CSV with the transcript as "[start–end] text" lines and lists joined by "; "."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        cells = {
            **row,
            "transcript": "\n".join(
                f"[{segment['start']:.2f}–{segment['end']:.2f}] {segment['text']}"
                for segment in row["transcript"]
                if segment["start"] is not None and segment["end"] is not None
            ),
            "curated_themes": "; ".join(row["curated_themes"]),
        }
        writer.writerow({field: _inert(value) for field, value in cells.items()})
    return buffer.getvalue()


def _inert(value):
    """A text cell a spreadsheet would take as a formula (= + - @, or a tab or carriage return first) starts with an
    apostrophe, which spreadsheets show as text and do not run: contributors' words could otherwise run as formulas."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@transaction.atomic
def create_export(user, export_format: str, story_ids: Sequence[int] | None = None) -> tuple[ResearchExport, str]:
    """Build the export and record who took it, when, and which stories: the record and the file's content."""
    rows = export_rows(story_ids)
    export = ResearchExport.objects.create(exported_by=user, format=export_format, story_count=len(rows))
    ResearchExportItem.objects.bulk_create(ResearchExportItem(export=export, story_ref=row["story_id"]) for row in rows)
    content = render_json(rows) if export_format == ResearchExport.Format.JSON else render_csv(rows)
    return export, content


def notify_exporters_of_withdrawal(story_ref: int, **signal_kwargs) -> int:
    """Ask everyone who exported this story to delete it; called when the story is withdrawn. Returns how many
    people were told. The email names the story by number and export date only, never by its content."""
    items = list(
        ResearchExportItem.objects.filter(story_ref=story_ref, withdrawal_notified_at__isnull=True).select_related(
            "export"
        )
    )
    by_user: dict[int, list[ResearchExportItem]] = {}
    for item in items:
        if item.export.exported_by_id:
            by_user.setdefault(item.export.exported_by_id, []).append(item)
    users = get_user_model().objects.filter(pk__in=by_user, is_active=True).exclude(email="")
    messages = [_withdrawal_message(user, story_ref, by_user[user.pk]) for user in users]
    if messages:
        send_mass_mail(messages, fail_silently=False)
    ResearchExportItem.objects.filter(pk__in=[item.pk for item in items]).update(withdrawal_notified_at=timezone.now())
    logger.info("Withdrawal of story %s: %s exporters notified", story_ref, len(messages))
    return len(messages)


def _withdrawal_message(user, story_ref: int, items: Iterable[ResearchExportItem]) -> tuple[str, str, str, list[str]]:
    dates = sorted({item.export.exported_at.date().isoformat() for item in items})
    body = (
        f"Hello,\n\n"
        f"The contributor of story {story_ref} has withdrawn it from Voicebox. You exported it on "
        f"{', '.join(dates)}. Please delete it from your copies of those exports, and from anything made from "
        f"them that quotes or identifies it, as your research agreement asks.\n\n"
        f"Later exports will not include it.\n\nThank you,\nVoicebox"
    )
    subject = f"Please delete story {story_ref} from your Voicebox exports"
    return (subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
