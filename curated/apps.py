from django.apps import AppConfig


class CuratedConfig(AppConfig):
    name = "curated"
    verbose_name = "Collections"
