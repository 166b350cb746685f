"""Held uploads belong to the share flow, which moved to the `contributions` app. The table stays; `contributions`
takes it over (contributions.0001 renames it), so this only drops the model from moderation's state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("moderation", "0008_redaction_places_and_previews")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="HeldUpload")]),
    ]
