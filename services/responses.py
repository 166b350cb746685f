"""Responding to published stories: what a responder may see, sending a response, and the moderator's decision.

Nothing here runs before publication or touches a story's status: a responder sees only live, public stories whose
contributor confirmed they are about one of the responder's services, and a response is a row of its own beside the
story. A response is published only by a moderator, under the same policy as stories (a decline names a reason on
its closed list), and the audit log and public report count each step.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from moderation import roles
from moderation.models import AuditEvent
from stories.models import StoryPage

from .models import Responder, Response, ResponsePreference, Service, StoryService

RESPONDERS = "Responders"
RESPOND_PERMISSION = "services.respond_to_stories"


def responder_for(user) -> Responder | None:
    if not (user.is_authenticated and user.is_active and user.has_perm(RESPOND_PERMISSION)):
        return None
    return Responder.objects.filter(user=user).first()


def visible_stories(responder: Responder) -> QuerySet[StoryPage]:
    """Published, public stories about the responder's services (confirmed by the contributor): nothing else."""
    linked = StoryService.objects.filter(service__in=responder.services.all(), confirmed=True).values("story_id")
    return StoryPage.objects.published().filter(pk__in=linked)


def responses_allowed(story: StoryPage) -> bool:
    preference = ResponsePreference.objects.filter(story=story).first()
    return preference is None or preference.responses_allowed


def services_of(responder: Responder, story: StoryPage) -> QuerySet[Service]:
    """The responder's services that this story is about."""
    return responder.services.filter(story_links__story=story, story_links__confirmed=True)


@transaction.atomic
def send_response(responder: Responder, story: StoryPage, service: Service, kind: str, body: str, change: str):
    if not visible_stories(responder).filter(pk=story.pk).exists() or not services_of(responder, story).filter(
        pk=service.pk
    ):
        raise PermissionDenied
    if not responses_allowed(story):
        raise PermissionDenied
    response = Response.objects.create(
        story=story, service=service, responder=responder, role=responder.role, kind=kind, body=body, change=change
    )
    AuditEvent.record(story.pk, AuditEvent.Action.RESPONSE_SENT, AuditEvent.Actor.RESPONDER)
    return response


@transaction.atomic
def publish_response(response: Response, user) -> None:
    response = Response.objects.select_for_update().get(pk=response.pk)
    if not roles.can_review(user) or response.status != Response.Status.PENDING:
        raise PermissionDenied
    if not StoryPage.objects.published().filter(pk=response.story_id).exists():
        raise PermissionDenied  # the story is no longer public: its responses went with it
    response.status = Response.Status.PUBLISHED
    response.published_at = timezone.now()
    response.save(update_fields=["status", "published_at"])
    actor = roles.actor_role(user)
    AuditEvent.record(response.story_id, AuditEvent.Action.RESPONSE_PUBLISHED, actor)
    if response.records_change:
        AuditEvent.record(response.story_id, AuditEvent.Action.CHANGE_RECORDED, AuditEvent.Actor.RESPONDER)


@transaction.atomic
def decline_response(response: Response, user, code: str, note: str) -> None:
    """Not published, for a reason on the policy's closed list of declines (the form offers only those)."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if not roles.can_review(user) or response.status != Response.Status.PENDING:
        raise PermissionDenied
    response.status = Response.Status.DECLINED
    response.decline_code = code
    response.decision_note = note
    response.save(update_fields=["status", "decline_code", "decision_note"])
    AuditEvent.record(response.story_id, AuditEvent.Action.RESPONSE_DECLINED, roles.actor_role(user), code)


def pending_responses() -> QuerySet[Response]:
    return Response.objects.filter(status=Response.Status.PENDING).select_related("story", "service")


def alert_responders(story_id: int) -> int:
    """Tell the responders for the services a newly published story is about: its title and link, nothing else.
    Only a story the public can read, whose contributor welcomes responses. Returns how many were told."""
    story = StoryPage.objects.published().filter(pk=story_id).first()
    if story is None or not responses_allowed(story):
        return 0
    link = settings.WAGTAILADMIN_BASE_URL + story.url
    recipients = (
        Responder.objects.filter(
            services__story_links__story=story, services__story_links__confirmed=True, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    text = render_to_string("services/email/story_published.txt", {"story": story, "link": link})
    for address in recipients:
        send_mail("A story about your service has been published", text, None, [address], fail_silently=True)
    return len(recipients)
