from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    """The contributor's side of Voicebox: the share flow, recordings held while a form is finished, and every
    /my-story/<key>/ page. It builds on moderation (consent, the workflow) and the public core (stories)."""

    name = "contributions"
    verbose_name = "Contributions"
