from django.core.management.base import BaseCommand

from demo.content import load_demo


class Command(BaseCommand):
    help = "Create the demo site (home page, story index, themes, content notes, demo stories) where it is missing."

    def handle(self, *args, **options):
        load_demo(log=lambda message: self.stderr.write(self.style.WARNING(message)))
        self.stdout.write("The demo site is ready.")
