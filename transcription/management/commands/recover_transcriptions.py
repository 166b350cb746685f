"""`manage.py recover_transcriptions [--every SECONDS]`: the sweeper. Queues again the transcription jobs whose
worker died (their lease lapsed) and those waiting as "unavailable" whose wait is over. With --every it keeps
running, checking at that interval (Procfile.dev runs it beside the workers)."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from transcription.services import recover_transcriptions


class Command(BaseCommand):
    help = "Queue again transcription jobs whose worker stopped, once or every N seconds."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="Keep running, checking every N seconds.")

    def handle(self, *args, every: float, **options):
        while True:
            close_old_connections()
            recovered = recover_transcriptions()
            if recovered or not every:
                self.stdout.write(f"Queued again {recovered} transcription job(s).")
            if not every:
                return
            time.sleep(every)
