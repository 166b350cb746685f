from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished, pre_page_move

        from .governance import refuse_ungoverned_move
        from .meaning import forget_vectors, queue_embedding
        from .models import StoryPage
        from .page_cache import connect_invalidation
        from .search import refresh_search_statistics

        connect_invalidation()
        page_published.connect(refresh_search_statistics, dispatch_uid="search-statistics")
        # A story is embedded (in the background) when published or changed, and forgotten when unpublished.
        page_published.connect(queue_embedding, sender=StoryPage, dispatch_uid="story-meaning-published")
        page_unpublished.connect(forget_vectors, sender=StoryPage, dispatch_uid="story-meaning-unpublished")
        # Moving a story changes its public address; only governance may (every move, admin or API, sends this).
        pre_page_move.connect(refuse_ungoverned_move, sender=StoryPage, dispatch_uid="story-move-governed")
