from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation and consent"

    def ready(self):
        from . import signals

        signals.connect(self)
