from django.template.loader import render_to_string
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from base.sections import MY_STORY_SECTIONS, REVIEW_SECTIONS, STORY_SECTIONS
from contributions.forms import STORY_QUESTIONS_HOOK
from moderation import roles
from stories import ids  # noqa: F401 (registers the <id:...> converter: an id past 64 bits is not found, not a 500)

from . import admin_views, contributor
from .forms import ResponderInviteForm, StoryServiceForm, share_question
from .models import Responder, Service, StoryService
from .responses import RESPOND_PERMISSION, RESPONDERS, published_under

COMMISSIONERS = "Commissioners"


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "site"
    menu_label = "Services"
    menu_order = 370
    add_to_admin_menu = True
    list_display = ["name", "organisation", "area", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation", "area"]


class StoryServiceViewSet(ModelViewSet):
    """Moderators link a published story to a service; the link is a proposal until the contributor confirms it."""

    model = StoryService
    icon = "link"
    menu_label = "Stories and services"
    menu_order = 371
    add_to_admin_menu = True
    form_fields = ["story", "service"]
    list_display = ["story", "service", "source", "confirmed"]
    list_filter = ["source", "confirmed", "service"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return StoryServiceForm

    def get_queryset(self, request):
        return StoryService.objects.filter(story__live=True).select_related("story", "service")


class ResponderViewSet(ModelViewSet):
    model = Responder
    icon = "user"
    menu_label = "Responders"
    menu_order = 372
    add_to_admin_menu = True
    form_fields = ["role", "services"]
    list_display = ["user", "role"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return ResponderInviteForm


register_snippet(ServiceViewSet)


@hooks.register("register_admin_viewset")
def register_services_viewsets():
    return [StoryServiceViewSet("story_services"), ResponderViewSet("responders")]


admin_urlpatterns = [
    path("stories/", admin_views.responder_stories, name="stories"),
    path("stories/<id:story_id>/", admin_views.respond, name="respond"),
    path("responses/", admin_views.review_responses, name="review"),
    path("responses/<id:pk>/decide/", admin_views.decide, name="decide"),
    path("replies/<id:pk>/decide/", admin_views.decide_reply, name="decide_reply"),
    path("figures/", admin_views.commissioning_dashboard, name="commissioning"),
    path("named/<id:pk>/", admin_views.map_named_service, name="map_named"),
    path("responses/<id:pk>/take-down/", admin_views.take_down_response, name="take_down"),
]


@hooks.register("register_admin_urls")
def register_services_admin_urls():
    return [path("services/", include((admin_urlpatterns, "services_admin"), namespace="services_admin"))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def is_shown(self, request):
        return self.allowed(request.user)


@hooks.register("register_admin_menu_item")
def responder_stories_menu_item():
    return PermissionMenuItem(
        "Stories about your service",
        reverse("services_admin:stories"),
        icon_name="doc-full",
        order=100,
        allowed=lambda user: user.has_perm(RESPOND_PERMISSION),
    )


@hooks.register("register_admin_menu_item")
def review_responses_menu_item():
    return PermissionMenuItem(
        "Responses to check",
        reverse("services_admin:review"),
        icon_name="comment",
        order=210,
        allowed=roles.can_review,
    )


@hooks.register("register_admin_menu_item")
def commissioning_menu_item():
    return PermissionMenuItem(
        "Services in figures",
        reverse("services_admin:commissioning"),
        icon_name="table",
        order=373,
        allowed=lambda user: user.has_perm(admin_views.COMMISSIONING_PERMISSION),
    )


@hooks.register(STORY_SECTIONS)
def responses_under_the_story(request, story):
    responses = list(published_under(story))
    if not responses:
        return ""
    return render_to_string("services/includes/story_responses.html", {"responses": responses}, request=request)


hooks.register(MY_STORY_SECTIONS, contributor.my_story_section)
hooks.register(REVIEW_SECTIONS, admin_views.named_services_section)
# At /share/, the contributor may name the service their story is about (services.forms.name_services hears it).
hooks.register(STORY_QUESTIONS_HOOK, share_question)


@hooks.register(roles.GROUP_PERMISSIONS_HOOK)
def services_group_permissions():
    """Staff moderators keep the directory, link stories to services (as proposals) and invite responders;
    responders may only respond to published stories about their own services; commissioners see the figures."""
    manage = [
        f"services.{action}_{model}"
        for model in ("service", "storyservice", "responder")
        for action in ("add", "change", "delete", "view")
    ]
    figures = ["wagtailadmin.access_admin", admin_views.COMMISSIONING_PERMISSION]
    return {
        roles.MODERATORS: [*manage, admin_views.COMMISSIONING_PERMISSION],
        RESPONDERS: ["wagtailadmin.access_admin", RESPOND_PERMISSION],
        COMMISSIONERS: figures,
    }
