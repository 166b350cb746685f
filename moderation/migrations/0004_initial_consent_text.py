"""The first consent text, so a fresh installation can take stories. Edited later in the admin (with revisions)."""

from django.db import migrations

TITLE = "Sharing your story with Voicebox"
BODY = """Your story is yours. By sending it, you agree that:

Voicebox keeps your story, your recording if you made one, and the choices on this page, so that we can review it and share it in the way you chose.

A moderator reads or listens to your story before anything is published. We only decline a story for a reason in our published policy. We show you any change before it is published, unless you allow small edits that only remove details that could identify someone.

We publish only what you choose here: who can see your story, how you are named, and whether your voice or face is used.

If you give us your email address, we use it only to tell you about your story.

You can withdraw your story at any time with your private link. We then take it down and erase it, its recording and these choices. We keep only a note that a story was withdrawn, with nothing from the story in it.

If your story says you may be at risk right now, we pause it and follow our safeguarding policy. This is not a decision against your story."""


def create_first_consent_text(apps, schema_editor):
    ConsentText = apps.get_model("moderation", "ConsentText")
    if not ConsentText.objects.exists():
        ConsentText.objects.create(title=TITLE, body=BODY, is_current=True)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0003_held_uploads_withdrawn_keys")]

    operations = [migrations.RunPython(create_first_consent_text, migrations.RunPython.noop)]
