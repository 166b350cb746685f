# Sharing events, each with its own link for a shared device, and which event a story was shared at (issue 16).

import django.db.models.deletion
from django.db import migrations, models

import contributions.models


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0002_sharing_help"),
        ("moderation", "0020_channel_event"),
    ]

    operations = [
        migrations.CreateModel(
            name="SharingEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                ("starts_on", models.DateField()),
                ("ends_on", models.DateField(help_text="The event's link stops working after this day.")),
                ("place", models.CharField(max_length=200)),
                ("facilitator", models.CharField(help_text="Who runs it: a person, or a team.", max_length=200)),
                (
                    "token",
                    models.CharField(
                        default=contributions.models.new_event_token, editable=False, max_length=32, unique=True
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"verbose_name": "sharing event", "ordering": ["-starts_on"]},
        ),
        migrations.CreateModel(
            name="EventStory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "contribution",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="moderation.contribution"
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stories",
                        to="contributions.sharingevent",
                    ),
                ),
            ],
        ),
    ]
