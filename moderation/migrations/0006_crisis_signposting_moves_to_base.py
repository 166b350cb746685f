"""Crisis signposting belongs to the whole site, so its setting moved to the `base` app: copy any saved rows across,
then drop moderation's table. `base` sits below every app of ours, so this migration (not base's) does the move."""

from django.db import migrations


def copy_to_base(apps, schema_editor):
    Old = apps.get_model("moderation", "CrisisSignposting")
    New = apps.get_model("base", "CrisisSignposting")
    for row in Old.objects.all():
        New.objects.create(
            id=row.id, site_id=row.site_id, heading=row.heading, introduction=row.introduction, services=row.services
        )


def copy_back(apps, schema_editor):
    Old = apps.get_model("moderation", "CrisisSignposting")
    New = apps.get_model("base", "CrisisSignposting")
    for row in New.objects.all():
        Old.objects.create(
            id=row.id, site_id=row.site_id, heading=row.heading, introduction=row.introduction, services=row.services
        )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0005_decisions_tasks_signposting"),
        ("base", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_base, copy_back),
        migrations.DeleteModel(name="CrisisSignposting"),
    ]
