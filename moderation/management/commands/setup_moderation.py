from django.core.management.base import BaseCommand

from moderation.roles import ensure_groups
from moderation.workflows import ensure_story_workflow


class Command(BaseCommand):
    help = "Create the moderation groups and the Voicebox workflow, and assign it to every story index. Idempotent."

    def handle(self, *args, **options):
        ensure_groups()
        ensure_story_workflow()
        self.stdout.write("Moderation groups and workflow are in place.")
