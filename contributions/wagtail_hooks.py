"""The contributor side in the Wagtail admin: who may set the ways to reach someone who helps people share, and the
sharing events (each with its own link for a shared device) with how many stories were shared at each."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from moderation import roles

from . import admin_urls
from .models import SharingEvent
from .views.assisted import ASSIST_PERMISSION, may_assist

EVENT_PERMISSIONS = ["add", "change", "view"]


@hooks.register(roles.GROUP_PERMISSIONS_HOOK)
def contributions_group_permissions():
    """Staff moderators keep the "help to share" contact routes, as they keep the crisis signposting. Staff and peer
    workers run events, so both moderator groups create them; only staff delete one (and with it which stories came
    from it)."""
    events = [f"contributions.{action}_sharingevent" for action in EVENT_PERMISSIONS]
    return {
        roles.MODERATORS: ["contributions.change_sharinghelp", *events, "contributions.delete_sharingevent"],
        roles.PEER_MODERATORS: events,
    }


class SharingEventViewSet(SnippetViewSet):
    """Events for staff and peer workers, with the count of stories shared at each: per event here only, since the
    public report must not name an event whose stories could be told apart."""

    model = SharingEvent
    icon = "date"
    menu_label = "Sharing events"
    menu_order = 360
    add_to_admin_menu = True
    list_display = ["name", "starts_on", "ends_on", "place", "get_absolute_url", "stories_shared"]
    search_fields = ["name", "place", "facilitator"]
    copy_view_enabled = False
    inspect_view_enabled = False


register_snippet(SharingEventViewSet)


# --- Sharing a story with someone (assisted sharing) ----------------------------------------------------------------


@hooks.register(roles.GROUP_PERMISSIONS_HOOK)
def assisted_sharing_permissions():
    """Peer workers (peer moderators) and staff moderators share stories with people who would like help; researchers,
    responders and commissioners do not: entering someone's story is work with the person, done by the people who
    already see stories before publication."""
    return {roles.MODERATORS: [ASSIST_PERMISSION], roles.PEER_MODERATORS: [ASSIST_PERMISSION]}


@hooks.register("register_admin_urls")
def register_assisted_sharing_urls():
    return [path("share-with-someone/", include(admin_urls))]


class AssistMenuItem(MenuItem):
    def is_shown(self, request):
        return may_assist(request.user)


@hooks.register("register_admin_menu_item")
def register_assisted_sharing_menu_item():
    return AssistMenuItem(
        "Share a story with someone", reverse("contributions_assisted:choose"), icon_name="edit", order=140
    )
