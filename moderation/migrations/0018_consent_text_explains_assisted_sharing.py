"""The consent text says a story can be shared with a peer worker's or a staff member's help (assisted sharing).

A new version, as an edit in the admin makes: a new current text, so every consent already given keeps the exact
words it was given against. Only a site still on the first text (migration 0004) gets it; a site whose staff have
written their own words keeps them, for staff to extend in the admin.
"""

import hashlib
import importlib

from django.db import migrations

TITLE = "Sharing your story with Voicebox"
HELPED = (
    "If a peer worker or a member of our staff helps you share, they can enter your story with you, in your own "
    "words, or help you record it. It is still your story: everything on this page applies in the same way, only you "
    "decide the choices, and you get your own private link. Who helped you is never published."
)


def _hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def explain_assisted_sharing(apps, schema_editor):
    ConsentText = apps.get_model("moderation", "ConsentText")
    first = importlib.import_module("moderation.migrations.0004_initial_consent_text")
    current = ConsentText.objects.filter(is_current=True).order_by("-pk").first()
    if current is None or _hash(current.title, current.body) != _hash(first.TITLE, first.BODY):
        return
    body = first.BODY.replace(
        "\n\nIf you give us your email address,", f"\n\n{HELPED}\n\nIf you give us your email address,", 1
    )
    ConsentText.objects.filter(is_current=True).update(is_current=False)
    ConsentText.objects.create(title=TITLE, body=body, is_current=True)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0017_channels")]

    operations = [migrations.RunPython(explain_assisted_sharing, migrations.RunPython.noop)]
