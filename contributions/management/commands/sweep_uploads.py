"""`manage.py sweep_uploads`: erase recordings held for share forms never sent, the answers of share forms left
unsent (in sessions that have ended), and the upload and working files a killed process left behind. Run it every
hour or so (deploy/systemd has a timer; `make run` needs none, since every new upload purges abandoned held
recordings first)."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand

from stories.work_files import sweep_stale_work_files

from ...submission import purge_abandoned_uploads


class Command(BaseCommand):
    help = "Erase abandoned held recordings and stale upload and working files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=6,
            help="Working files older than this are left over from a killed process (default 6: longer than any "
            "upload or encode takes).",
        )

    def handle(self, *args, older_than_hours: float, **options):
        held = purge_abandoned_uploads()
        files = sweep_stale_work_files(timedelta(hours=older_than_hours))
        # A share form's answers wait in its session (contributions.views.share): an ended visit's go with it.
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        self.stdout.write(
            f"Erased {held} abandoned held recording(s), {files} stale working file(s) and the sessions that ended."
        )
