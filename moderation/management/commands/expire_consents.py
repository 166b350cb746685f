import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from moderation.expiry import expire_consents


class Command(BaseCommand):
    help = "Unpublish stories whose consent has expired. With --every SECONDS, keep doing so (for the worker set-up)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Run again after this many seconds, until stopped.")

    def handle(self, *args, every: int, **options):
        while True:
            count = expire_consents()
            self.stdout.write(f"Consent expiry: {count} stor{'y' if count == 1 else 'ies'} unpublished.")
            if not every:
                return
            time.sleep(every)
            close_old_connections()
