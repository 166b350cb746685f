from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
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
