from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import re_path, reverse
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .governance import REFUSAL, review_url
from .models import ContentNote, StoryPage, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Themes"
    list_display = ["name", "origin"]
    list_filter = ["origin"]
    search_fields = ["name"]


class ContentNoteViewSet(SnippetViewSet):
    model = ContentNote
    icon = "warning"
    menu_label = "Content notes"


register_snippet(ThemeViewSet)
register_snippet(ContentNoteViewSet)


@hooks.register("before_edit_page")
def story_editor_is_the_review_screen(request, page):
    """Nobody edits or publishes a story in Wagtail's page editor (nor through its history or revert, which are the
    editor too): whoever opens it, superusers and Wagtail's "submitted for moderation" email links included, is sent
    to the story's review screen."""
    if not isinstance(page.specific_deferred, StoryPage):
        return None
    messages.warning(request, REFUSAL)
    return redirect(review_url(page) or reverse("wagtailadmin_explore", args=[page.get_parent().pk]))


@hooks.register("construct_explorer_page_queryset")
def stories_not_in_the_explorer(parent_page, pages, request):
    """A group's page permissions do not reach stories: the page explorer lists them (drafts' titles are the
    contributor's words) to superusers only; moderators find them in their review queue."""
    return pages if request.user.is_superuser else pages.not_type(StoryPage)


# Every item in Wagtail's media library is a story's media: its private original enters through intake, and its
# published copy is made by publication and deleted with the story. Nobody, superusers included, adds, changes or
# deletes one in the library: those addresses answer with the reason, ahead of wagtailmedia's own (this app's hooks
# register first), and the library leaves the menu.
MEDIA_LIBRARY_CHANGES = r"^media/(?:(?:audio|video|media)/add|edit/\d+|delete/\d+)/$"


def media_live_and_die_with_their_story(request, *args, **kwargs):
    return HttpResponseForbidden(
        "A story's recording changes only with its story: through sharing, the review screen and publication. "
        "Withdrawing the story erases it."
    )


@hooks.register("register_admin_urls")
def no_changes_in_the_media_library():
    return [re_path(MEDIA_LIBRARY_CHANGES, media_live_and_die_with_their_story)]


@hooks.register("construct_main_menu")
def no_media_library_in_the_menu(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name != "media"]
