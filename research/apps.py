from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save

# What each group may do with emerging themes and research stories. No group may add or delete a theme: themes
# emerge from discovery, and a theme is hidden (for a policy reason), never deleted.
GROUP_PERMISSIONS = {
    "Moderators": ["wagtailadmin.access_admin", "research.view_emergingtheme", "research.change_emergingtheme"],
    "Peer moderators": ["wagtailadmin.access_admin", "research.view_emergingtheme", "research.change_emergingtheme"],
    "Researchers": ["wagtailadmin.access_admin", "research.view_emergingtheme", "research.explore_research_stories"],
}


def grant_group_permissions(**kwargs) -> None:
    """After every migrate (so the groups' own data migration has run): give the groups their research permissions."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # Permissions are normally created after every post-migrate handler has run; these groups need them now.
    for app_label in ("wagtailadmin", "research"):
        create_permissions(apps.get_app_config(app_label), verbosity=0)
    for group_name, permission_names in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for permission_name in permission_names:
            app_label, codename = permission_name.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Emerging themes and research"

    def ready(self):
        # Deferred for start-up order: models can be imported only once every app is loaded.
        from stories.page_cache import invalidate
        from stories.signals import story_withdrawn

        from .exports import notify_exporters_of_withdrawal

        post_migrate.connect(grant_group_permissions, sender=self, dispatch_uid="research_group_permissions")
        # /themes/ shows emerging themes: a renamed, hidden or re-run theme makes cached public pages stale.
        post_save.connect(invalidate, sender="research.EmergingTheme", dispatch_uid="research_theme_invalidates_cache")
        # Researchers who exported a withdrawn story are asked to delete their copies.
        story_withdrawn.connect(notify_exporters_of_withdrawal, dispatch_uid="research_exports_hear_of_withdrawals")
