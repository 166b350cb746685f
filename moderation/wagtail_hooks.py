from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ConsentText


# --- Consent texts (share flow) --------------------------------------------------------------------------------
class ConsentTextViewSet(SnippetViewSet):
    """The words contributors agree to. Every save is a revision; each consent record pins the version it agreed to
    by hash, so an old record can always be matched to the exact words that person read."""

    model = ConsentText
    icon = "doc-full"
    menu_label = "Consent texts"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["title", "is_current"]
    list_filter = ["is_current"]


register_snippet(ConsentTextViewSet)
