"""A contributor takes their story down for now and puts it back; staff take one down on the contributor's request,
recording who checked and how; a new private link can be issued by email."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0012_contributor_replies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("submitted", "Shared by the contributor"),
                    ("transcript_ready", "Transcript ready for the contributor to check"),
                    ("transcript_confirmed", "Transcript checked and corrected by the contributor"),
                    ("transcript_sent_as_is", "Transcript sent on as it was by the contributor"),
                    ("transcript_skipped", "Sent on without a transcript by the contributor"),
                    ("consent_checked", "Consent record checked"),
                    ("edits_proposed", "Edits proposed to the contributor"),
                    ("edits_preauthorised", "Minimal edits made, as the contributor pre-authorised"),
                    ("edits_accepted", "Edits accepted by the contributor"),
                    ("edits_replied", "The contributor replied to the edits"),
                    ("decline_proposed", "Decline proposed"),
                    ("decline_overturned", "Decline overturned by a second moderator"),
                    ("declined", "Declined, confirmed by a second moderator"),
                    ("decline_replied", "The contributor replied to the decline"),
                    ("paused", "Paused for safeguarding"),
                    ("pause_answered", "The contributor answered the safeguarding pause"),
                    ("safeguarding_handled", "Safeguarding handled: back to moderation"),
                    ("appeal_lodged", "Appeal lodged by the contributor"),
                    ("appeal_published", "Appeal decided: published"),
                    ("appeal_edits_proposed", "Appeal decided: published once the contributor agrees to edits"),
                    ("appeal_decline_upheld", "Appeal decided: the decline stands"),
                    ("publication_decided", "Decided to publish: being published"),
                    ("publication_failed", "Could not be published: waiting for a moderator to try again"),
                    ("published", "Published"),
                    ("published_with_edits", "Published with edits the contributor agreed to"),
                    ("flagged_critical", "Flagged as critical of services"),
                    ("unflagged_critical", "No longer flagged as critical of services"),
                    ("marked_critical", "Marked as critical of services by the contributor"),
                    ("unmarked_critical", "No longer marked as critical of services by the contributor"),
                    ("consent_expired", "Unpublished: the contributor's consent ended"),
                    ("taken_down", "Unpublished by a staff moderator under the policy: the contributor may appeal"),
                    ("withdrawn", "Withdrawn and erased by the contributor"),
                    ("response_sent", "A service sent a response, for a moderator to check against the policy"),
                    ("response_published", "A service's response published"),
                    ("response_declined", "A service's response not published, for a reason on the policy"),
                    ("change_recorded", "A service recorded a change, planned or made"),
                    ("hidden_by_contributor", "Taken down for now by the contributor"),
                    ("hidden_on_request", "Taken down for now by staff at the contributor's request"),
                    ("put_back", "Put back by the contributor after taking it down for now"),
                    ("link_reissued", "New private link issued by email at the contributor's request"),
                ],
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="contribution",
            name="status",
            field=models.CharField(
                choices=[
                    ("submitted", "Received"),
                    ("processing", "Being prepared"),
                    ("awaiting_contributor", "Waiting for you to check"),
                    ("in_moderation", "Being reviewed"),
                    ("edits_proposed", "Edits suggested, waiting for you"),
                    ("publishing", "Being published"),
                    ("published", "Published"),
                    ("declined", "Not published"),
                    ("appeal", "Appeal being reviewed"),
                    ("paused", "Paused for your safety"),
                    ("withdrawn", "Withdrawn"),
                    ("expired", "No longer published: your end date has passed"),
                    ("hidden_by_contributor", "Taken down by you for now"),
                ],
                default="submitted",
                max_length=24,
            ),
        ),
        migrations.CreateModel(
            name="TakedownOnRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("how_checked", models.TextField()),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "checked_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "contribution",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="takedowns_on_request",
                        to="moderation.contribution",
                    ),
                ),
            ],
            options={"ordering": ["-at"]},
        ),
    ]
