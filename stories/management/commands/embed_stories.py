"""`manage.py embed_stories`: embed every live story whose vectors are missing or out of date (a backfill)."""

import time

from django.core.management.base import BaseCommand, CommandError

from stories import embeddings
from stories.meaning import store_vectors
from stories.models import StoryPage


class Command(BaseCommand):
    help = "Embed every live story not yet embedded (or changed since), for search by meaning and themes."

    def handle(self, *args, **options):
        if reason := embeddings.unavailable_reason():
            raise CommandError(f"Stories cannot be embedded: {reason}")
        started = time.perf_counter()
        embedded = unchanged = 0
        for page in StoryPage.objects.live().order_by("pk").iterator(chunk_size=200):
            if store_vectors(page):
                embedded += 1
            else:
                unchanged += 1
        seconds = time.perf_counter() - started
        self.stdout.write(f"Embedded {embedded} stories ({unchanged} already up to date) in {seconds:.1f} s.")
