"""The audit log names a new kind of actor: someone responding for a service, after publication."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0013_contributor_takes_down_for_now"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor_role",
            field=models.CharField(
                choices=[
                    ("contributor", "Contributor"),
                    ("moderator", "Moderator"),
                    ("peer_moderator", "Peer moderator"),
                    ("responder", "Responder for a service"),
                    ("system", "System"),
                ],
                max_length=16,
            ),
        ),
    ]
