from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for a new installation (`manage.py load_demo`). It builds stories through every other app's
    own code, so it sits at the top: nothing imports it."""

    name = "demo"
    verbose_name = "Demo content"
