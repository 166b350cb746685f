"""HeldUpload moves here from `moderation` with its rows: the state is created, and moderation's table renamed."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("moderation", "0009_heldupload_moves_to_contributions"),
        ("stories", "0003_experiencedtoocount_publiccachegeneration"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HeldUpload",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("held_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "media",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="stories.storymedia"
                            ),
                        ),
                    ],
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE moderation_heldupload RENAME TO contributions_heldupload",
                    "ALTER TABLE contributions_heldupload RENAME TO moderation_heldupload",
                ),
            ],
        ),
    ]
