"""The contributor side in the Wagtail admin: who may set the ways to reach someone who helps people share, and the
sharing events (each with its own link for a shared device) with how many stories were shared at each."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from moderation import roles

from .models import SharingEvent

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
