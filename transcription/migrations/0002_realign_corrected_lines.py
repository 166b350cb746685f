"""Lines the contributor corrected before word timings survived corrections were stored without words, so a
redaction in them silenced the whole line. Align them to the words Whisper heard, as confirming now does."""

from django.db import migrations

from transcription.corrections import realign_words


def realign_corrected_lines(apps, schema_editor):
    Transcript = apps.get_model("transcription", "Transcript")
    for transcript in Transcript.objects.filter(confirmed_segments__isnull=False).iterator():
        changed = False
        for heard, line in zip(transcript.segments, transcript.confirmed_segments, strict=False):
            if not line.get("words") and heard.get("words") and line["text"] != heard["text"]:
                line["words"] = realign_words(heard, line["text"])
                changed = True
        if changed:
            transcript.save(update_fields=["confirmed_segments"])


class Migration(migrations.Migration):
    dependencies = [("transcription", "0001_initial")]

    operations = [migrations.RunPython(realign_corrected_lines, migrations.RunPython.noop)]
