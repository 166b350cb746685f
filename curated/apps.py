from django.apps import AppConfig
from django.db.models.signals import post_delete


class CuratedConfig(AppConfig):
    name = "curated"
    verbose_name = "Collections"

    def ready(self):
        from .models import CollectionStory, forget_reference_index_update

        # A story's place in a collection goes with the story when it is erased (on_delete=CASCADE), maybe moments
        # after it was added: Wagtail's queued reference index update for it could then only fail in the worker.
        post_delete.connect(forget_reference_index_update, sender=CollectionStory, dispatch_uid="curated_forget_index")
