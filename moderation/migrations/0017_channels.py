from django.db import migrations, models


def submitted_on_the_website(apps, schema_editor):
    # Every story shared before channels were counted came through the website form (nothing set "assisted"); a
    # recording made in the browser was not told apart then, so it counts as "web".
    AuditEvent = apps.get_model("moderation", "AuditEvent")
    AuditEvent.objects.filter(action="submitted").update(channel="web")


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0016_audit_replies_to_responses"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="channel",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AlterField(
            model_name="contribution",
            name="channel",
            field=models.CharField(
                choices=[
                    ("web", "Website"),
                    ("recorded", "Recorded in the browser on the website"),
                    ("assisted", "Entered by staff with the contributor"),
                ],
                default="web",
                max_length=16,
            ),
        ),
        migrations.RunPython(submitted_on_the_website, migrations.RunPython.noop),
    ]
