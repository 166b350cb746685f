from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation and consent"

    def ready(self):
        # Deferred for start-up order: models and the workflow can be imported only once every app is loaded.
        from . import signals, workflows
        from .models.tasks import use_workflow

        signals.connect(self)
        use_workflow(workflows)
