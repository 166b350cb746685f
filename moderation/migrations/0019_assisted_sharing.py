"""Assisted sharing (issue 16): the audit log names who helped ("assisted", with the staff member), the consent
record says how the person agreed, and photos or scans of paper (a signed consent form, a story written on paper)
are kept privately with the story."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import moderation.models.consent
import stories.storage


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0018_consent_text_explains_assisted_sharing"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="staff_member",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="consentrecord",
            name="method",
            field=models.CharField(
                choices=[
                    ("online", "Agreed on the website"),
                    ("read_aloud", "The words were read aloud to them and they agreed"),
                    ("signed_form", "They signed a paper consent form (kept as a private scan)"),
                ],
                default="online",
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("submitted", "Shared by the contributor"),
                    ("assisted", "Shared with the help of a peer worker or staff member, who entered it with them"),
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
                    ("choices_changed", "The contributor changed their choices: applied at once"),
                    ("choices_to_check", "The contributor asked to show their story more widely: to check"),
                    ("choices_approved", "Wider choices approved by a moderator and applied"),
                    ("choices_declined", "Wider choices not approved by a moderator"),
                    ("response_sent", "A service sent a response, for a moderator to check against the policy"),
                    ("response_published", "A service's response published"),
                    ("response_declined", "A service's response not published, for a reason on the policy"),
                    ("change_recorded", "A service recorded a change, planned or made"),
                    ("reply_sent", "The contributor replied to a service's response, for a moderator to check"),
                    ("reply_published", "The contributor's reply to a service's response published"),
                    ("reply_declined", "The contributor's reply not published, for a reason on the policy"),
                    ("hidden_by_contributor", "Taken down for now by the contributor"),
                    ("hidden_on_request", "Taken down for now by staff at the contributor's request"),
                    ("put_back", "Put back by the contributor after taking it down for now"),
                    ("link_reissued", "New private link issued by email at the contributor's request"),
                ],
                max_length=40,
            ),
        ),
        migrations.CreateModel(
            name="PaperScan",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("consent_form", "Signed consent form"),
                            ("story_form", "The story as written on paper"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        storage=stories.storage.private_storage, upload_to=moderation.models.consent.paper_scan_name
                    ),
                ),
                ("added_at", models.DateTimeField(auto_now_add=True)),
                (
                    "contribution",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="paper_scans",
                        to="moderation.contribution",
                    ),
                ),
            ],
            options={
                "ordering": ["kind", "pk"],
            },
        ),
    ]
