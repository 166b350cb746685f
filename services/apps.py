from django.apps import AppConfig


class ServicesConfig(AppConfig):
    """People with power listen, after publication: the directory of services, the people who respond for them, and
    their public responses under published stories. It builds on moderation (the policy, the audit log, the groups)
    and the public core; no app below it names it: it adds to their pages through hooks and hears them by signal."""

    name = "services"
    verbose_name = "Services and responses"

    def ready(self):
        # Deferred for start-up order: models can be imported only once every app is loaded.
        from . import api, signals

        signals.connect()
        api.register()
