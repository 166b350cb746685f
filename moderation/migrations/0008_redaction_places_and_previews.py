from django.db import migrations, models

import stories.storage


class Migration(migrations.Migration):
    dependencies = [("moderation", "0007_publication_audit_actions")]

    operations = [
        migrations.AlterField(
            model_name="redaction",
            name="target",
            field=models.CharField(
                choices=[
                    ("body", "Story text"),
                    ("transcript", "Transcript"),
                    ("title", "Title"),
                    ("display_name", "Display name"),
                    ("summary", "Summary"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="editproposal",
            name="preview",
            field=models.FileField(
                blank=True, storage=stories.storage.private_storage, upload_to=stories.storage.random_media_name
            ),
        ),
        migrations.AddField(
            model_name="editproposal",
            name="preview_silence",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
