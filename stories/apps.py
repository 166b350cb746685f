from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories"

    def ready(self):
        from wagtail.signals import page_published

        from .page_cache import connect_invalidation
        from .search import refresh_search_statistics

        connect_invalidation()
        page_published.connect(refresh_search_statistics, dispatch_uid="search-statistics")
