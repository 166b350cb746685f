from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from stories.governance import STORY_REVIEW_URL_HOOK
from stories.media_delivery import MAY_REVIEW_STORY_HOOK

from . import roles
from .models import ConsentText, Contribution
from .views import choices, on_request, review, safeguarding


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


# --- Moderation (workflow review screens, safeguarding queue, audit log) ---------------------
moderation_admin_urls = [
    path("", review.queue, name="queue"),
    path("safeguarding/", safeguarding.safeguarding_queue, name="safeguarding"),
    path("story/<int:contribution_id>/", review.review, name="review"),
    path("story/<int:contribution_id>/action/<slug:action>/", review.act, name="act"),
    path("story/<int:contribution_id>/redactions/", review.add_redaction, name="add_redaction"),
    path(
        "story/<int:contribution_id>/redactions/<int:redaction_id>/remove/",
        review.remove_redaction,
        name="remove_redaction",
    ),
    path(
        "story/<int:contribution_id>/edits/<int:proposal_id>/preview/",
        review.redaction_preview,
        name="redaction_preview",
    ),
    path("story/<int:contribution_id>/critical/", review.flag_critical, name="flag_critical"),
    path("story/<int:contribution_id>/publication/retry/", review.retry_publication, name="retry_publication"),
    path("story/<int:contribution_id>/take-down/", review.take_down, name="take_down"),
    path(
        "story/<int:contribution_id>/take-down-on-request/",
        on_request.take_down_on_request,
        name="take_down_on_request",
    ),
    path("story/<int:contribution_id>/audit/", review.audit_log, name="audit_log"),
    path("story/<int:contribution_id>/paper/<int:scan_id>/", review.paper_scan, name="paper_scan"),
    path("choices/", choices.choices_queue, name="choices"),
    path("choices/<int:change_id>/", choices.decide_choices, name="decide_choices"),
]


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path("moderation/", include((moderation_admin_urls, "moderation_admin"))),
    ]


class RoleMenuItem(MenuItem):
    def __init__(self, *args, may_see, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_see = may_see

    def is_shown(self, request):
        return self.may_see(request.user)


@hooks.register("register_admin_menu_item")
def register_moderation_queue_menu_item():
    return RoleMenuItem(
        "Stories to moderate", reverse("moderation_admin:queue"), icon_name="tasks", order=150, may_see=roles.can_review
    )


@hooks.register("register_admin_menu_item")
def register_choices_menu_item():
    return RoleMenuItem(
        "Wider choices to check",
        reverse("moderation_admin:choices"),
        icon_name="view",
        order=152,
        may_see=roles.can_review,
    )


@hooks.register("register_admin_menu_item")
def register_safeguarding_menu_item():
    return RoleMenuItem(
        "Safeguarding",
        reverse("moderation_admin:safeguarding"),
        icon_name="warning",
        order=151,
        may_see=roles.can_handle_safeguarding,
    )


@hooks.register("register_page_header_buttons")
def story_review_button(page, user, view_name, next_url=None):
    """From a story's page in the admin (where Wagtail's dashboard links), to its review screen."""
    contribution = getattr(page.specific, "contribution", None)
    if contribution is not None and roles.can_review(user):
        yield Button(
            "Review this story",
            reverse("moderation_admin:review", args=[contribution.pk]),
            icon_name="tasks",
            priority=5,
        )


@hooks.register(MAY_REVIEW_STORY_HOOK)
def story_workflow_reviewer(user, story) -> bool:
    """Who may hear a story's private original: whoever a task of the story's workflow lets open it for review
    (`ReviewerAccess`), the same people the review screen lets in."""
    workflow = story.get_workflow()
    return workflow is not None and any(
        task.specific.user_can_access_editor(story, user) for task in workflow.tasks.filter(active=True)
    )


@hooks.register(STORY_REVIEW_URL_HOOK)
def story_review_url(page) -> str | None:
    """Where the core sends anyone who tries to edit, publish or unpublish a story outside a decision."""
    contribution = Contribution.objects.filter(story_id=page.pk).only("pk").first()
    return reverse("moderation_admin:review", args=[contribution.pk]) if contribution else None
