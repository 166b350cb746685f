"""`manage.py discover_themes`: find emerging themes in the stories now, or queue the job for the worker."""

import time

from django.core.management.base import BaseCommand

from research.runs import run_discovery
from research.tasks import discover_themes


class Command(BaseCommand):
    help = "Group stories by what they say into emerging themes (characteristic words, stories, quotes)."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="Queue the job for the task worker instead.")

    def handle(self, *args, queue: bool, **options):
        if queue:
            result = discover_themes.enqueue()
            self.stdout.write(f"Theme discovery queued (task {result.id}).")
            return
        started = time.perf_counter()
        run = run_discovery()
        self.stdout.write(
            f"Read {run.story_count} stories in {time.perf_counter() - started:.1f} s: "
            f"{run.theme_count} themes, {run.outlier_count} stories that fit no theme."
        )
