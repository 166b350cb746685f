"""Assisted sharing (issue 16): the permission to share a story with someone in the admin (peer moderators and staff
moderators get it through the group registry)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0003_sharing_events"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="sharinghelp",
            options={
                "permissions": [
                    ("assist_sharing", "Can share a story with someone, entering it with them in the admin")
                ],
                "verbose_name": "help to share",
            },
        ),
    ]
