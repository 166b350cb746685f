import stories.storage
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("stories", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="storymedia",
            name="video_codec",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AlterField(
            model_name="storymedia",
            name="thumbnail",
            field=models.FileField(
                blank=True,
                storage=stories.storage.private_storage,
                upload_to=stories.storage.random_media_name,
                verbose_name="thumbnail",
            ),
        ),
    ]
