from django.template.loader import render_to_string
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from base.sections import MY_STORY_SECTIONS, REPORT_SECTIONS, THEME_INDEX_SECTIONS
from moderation import roles

from . import admin_views
from .admin_views import CURATE_PERMISSION, EXPLORE_PERMISSION
from .forms import EmergingThemeForm
from .models import EmergingTheme
from .public import emerging_themes_context, hidden_themes_context, story_research_context


class NoAddOrDeletePolicy(ModelPermissionPolicy):
    """Themes emerge from discovery and are never deleted, not even by a superuser: hiding (with a policy reason,
    counted in the moderation report) is the only way to take one off the public pages."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)


register_permission_policy(EmergingTheme, NoAddOrDeletePolicy(EmergingTheme))


class EmergingThemeViewSet(ModelViewSet):
    model = EmergingTheme
    icon = "tag"
    menu_label = "Emerging themes"
    menu_order = 350
    add_to_admin_menu = True
    copy_view_enabled = False
    list_filter = ["is_current", "hidden"]
    search_fields = ["name", "description"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("curated_themes"),
            MultiFieldPanel(
                [FieldPanel("hidden"), FieldPanel("hidden_reason_code")],
                heading="Hide from the public pages",
                help_text="Only for a reason on the published policy. Hidden themes are counted in the report.",
            ),
        ],
        base_form_class=EmergingThemeForm,
    )

    @property
    def list_display(self):
        return [
            TitleColumn(
                "display_name",
                label="Theme",
                get_url=lambda theme: reverse("research_admin:theme", args=[theme.pk]),
            ),
            Column("story_count", label="Stories"),
            Column("public_story_count", label="Published"),
            BooleanColumn("is_current", label="Current"),
            BooleanColumn("hidden", label="Hidden"),
        ]

    def get_queryset(self, request):
        return EmergingTheme.objects.filter(merged_into__isnull=True)


emerging_theme_viewset = EmergingThemeViewSet("emerging_themes")


@hooks.register("register_admin_viewset")
def register_emerging_theme_viewset():
    return emerging_theme_viewset


admin_urlpatterns = [
    path("themes/<int:pk>/", admin_views.theme_detail, name="theme"),
    path("themes/<int:pk>/merge/", admin_views.merge, name="merge"),
    path("themes/<int:pk>/split/", admin_views.split, name="split"),
    path("themes/unthemed/", admin_views.unthemed, name="unthemed"),
    path("stories/", admin_views.research_stories, name="stories"),
    path("stories/export/", admin_views.export, name="export"),
]


@hooks.register("register_admin_urls")
def register_research_admin_urls():
    return [path("research/", include((admin_urlpatterns, "research_admin"), namespace="research_admin"))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def research_stories_menu_item():
    return PermissionMenuItem(
        "Research stories",
        reverse("research_admin:stories"),
        icon_name="doc-full-inverse",
        order=360,
        permission=EXPLORE_PERMISSION,
    )


@hooks.register("register_admin_menu_item")
def unthemed_menu_item():
    return PermissionMenuItem(
        "Stories with no theme",
        reverse("research_admin:unthemed"),
        icon_name="help",
        order=355,
        permission=CURATE_PERMISSION,
    )


@hooks.register(THEME_INDEX_SECTIONS)
def emerging_themes_on_the_themes_page(request):
    return render_to_string("research/includes/emerging_themes.html", emerging_themes_context(), request=request)


@hooks.register(REPORT_SECTIONS)
def hidden_themes_in_the_moderation_report(request):
    return render_to_string("research/includes/hidden_themes_report.html", hidden_themes_context(), request=request)


@hooks.register(MY_STORY_SECTIONS)
def research_on_the_contributors_page(request, story):
    return render_to_string(
        "research/includes/my_story_research.html", story_research_context(story.pk), request=request
    )


@hooks.register(roles.GROUP_PERMISSIONS_HOOK)
def research_group_permissions():
    """What each group may do with emerging themes and research stories. No group may add or delete a theme: themes
    emerge from discovery, and a theme is hidden (for a policy reason), never deleted."""
    curate = ["wagtailadmin.access_admin", "research.view_emergingtheme", CURATE_PERMISSION]
    return {
        roles.MODERATORS: curate,
        roles.PEER_MODERATORS: curate,
        roles.RESEARCHERS: ["wagtailadmin.access_admin", "research.view_emergingtheme", EXPLORE_PERMISSION],
    }
