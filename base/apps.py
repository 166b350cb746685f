from django.apps import AppConfig


class BaseConfig(AppConfig):
    """What belongs to the whole site rather than to one part of it: two-step sign-in for the admin, the client
    address and abuse defence every public form uses, the log filter that keeps story keys out of logs, crisis
    signposting, the trust pages, sharing tags, robots.txt and the sitemap. Every other app of ours may build on it; it
    builds on none of them."""

    name = "base"
    verbose_name = "Site"
