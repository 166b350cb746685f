from django.apps import AppConfig
from django.db.models.signals import post_save


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Emerging themes and research"

    def ready(self):
        # Deferred for start-up order: models can be imported only once every app is loaded.
        from stories.generation import invalidate
        from stories.meaning import story_meaning_changed
        from stories.signals import story_withdrawn

        from .exports import notify_exporters_of_withdrawal
        from .tasks import story_meaning_stored

        # /themes/ shows emerging themes: a renamed, hidden or re-run theme makes cached public pages stale.
        post_save.connect(invalidate, sender="research.EmergingTheme", dispatch_uid="research_theme_invalidates_cache")
        # Researchers who exported a withdrawn story are asked to delete their copies.
        story_withdrawn.connect(notify_exporters_of_withdrawal, dispatch_uid="research_exports_hear_of_withdrawals")
        # Discovery runs by itself on the worker as new stories are embedded (research/tasks.py).
        story_meaning_changed.connect(story_meaning_stored, dispatch_uid="research_discovery_when_due")
