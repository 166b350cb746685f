"""Collections in Wagtail's admin (a snippet, with its stories as an ordered inline), who may curate them, and how
oEmbed finds a collection's embed."""

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from moderation import roles
from stories.embedding import OEMBED_HOOK, Embeddable

from .models import StoryCollection

COLLECTION_PERMISSIONS = [f"curated.{action}_storycollection" for action in ("add", "change", "delete", "view")]


class StoryCollectionViewSet(SnippetViewSet):
    """Collections, curated by peer moderators and staff: a title, an introduction and stories in order."""

    model = StoryCollection
    icon = "list-ul"
    menu_label = "Collections"
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "slug", "updated_at"]


register_snippet(StoryCollectionViewSet)


@hooks.register(roles.GROUP_PERMISSIONS_HOOK)
def collection_group_permissions():
    """Peer moderators and staff moderators both curate collections: choosing among stories already public decides
    nothing about any story."""
    return {roles.MODERATORS: COLLECTION_PERMISSIONS, roles.PEER_MODERATORS: COLLECTION_PERMISSIONS}


@hooks.register(OEMBED_HOOK)
def collection_embed(request, path: str) -> Embeddable | None:
    """oEmbed for a collection's page or its embed: the embed of the collection."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name not in ("curated:collection", "curated:embed_collection"):
        return None
    collection = StoryCollection.objects.filter(slug=match.kwargs["slug"]).first()
    if collection is None:
        return None
    return Embeddable(
        collection.title, settings.WAGTAIL_SITE_NAME, reverse("curated:embed_collection", args=[collection.slug])
    )
