from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ContentNote, Theme


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
