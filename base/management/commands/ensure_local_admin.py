import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = (
        'Development only: make sure a local superuser "admin" exists. Its password comes from '
        "VOICEBOX_ADMIN_PASSWORD, or is generated and printed once."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "ensure_local_admin is only for a developer's machine (DEBUG is off here). "
                "Create real accounts with `manage.py createsuperuser`."
            )
        chosen_password = settings.LOCAL_ADMIN_PASSWORD
        user = get_user_model().objects.filter(username=USERNAME).first()
        if user is not None and not chosen_password:
            self.stdout.write(f'The local admin "{USERNAME}" already exists; its password is unchanged.')
            return
        password = chosen_password or secrets.token_urlsafe(12)
        if user is None:
            user = get_user_model().objects.create_superuser(USERNAME, email="admin@localhost", password=password)
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        if chosen_password:
            self.stdout.write(f'Local admin "{USERNAME}" is ready, with the password from VOICEBOX_ADMIN_PASSWORD.')
        else:
            self.stdout.write(
                f"Local admin created. User: {USERNAME}  Password: {password}\n"
                "It is shown only this once; set VOICEBOX_ADMIN_PASSWORD to choose your own."
            )
