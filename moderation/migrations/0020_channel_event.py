# A story shared on a shared device at an event is its own channel (issue 16).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0019_assisted_sharing"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contribution",
            name="channel",
            field=models.CharField(
                choices=[
                    ("web", "Website"),
                    ("recorded", "Recorded in the browser on the website"),
                    ("assisted", "Entered by staff with the contributor"),
                    ("event", "Shared at an event"),
                ],
                default="web",
                max_length=16,
            ),
        ),
    ]
