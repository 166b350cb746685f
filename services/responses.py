"""Responding to published stories: what a responder may see, sending a response, and the moderator's decision.

Nothing here runs before publication or touches a story's status: a responder sees only live, public stories whose
contributor confirmed they are about one of the responder's services, and a response is a row of its own beside the
story. A response is published only by a moderator, under the same policy as stories (a decline names a reason on
its closed list), and the audit log and public report count each step.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from moderation import policy, roles
from moderation.models import AuditEvent
from stories.models import StoryPage

from .directory import published_responses
from .models import Responder, Response, ResponsePreference, ResponseReply, Service, StoryService

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
def send_response(
    responder: Responder, story: StoryPage, service: Service, kind: str, body: str, change: str, show_name=False
):
    if not visible_stories(responder).filter(pk=story.pk).exists() or not services_of(responder, story).filter(
        pk=service.pk
    ):
        raise PermissionDenied
    if not responses_allowed(story):
        raise PermissionDenied
    response = Response.objects.create(
        story=story,
        service=service,
        responder=responder,
        role=responder.role,
        name=responder.user.get_full_name() if show_name else "",
        kind=kind,
        body=body,
        change=change,
    )
    AuditEvent.record(story.pk, AuditEvent.Action.RESPONSE_SENT, AuditEvent.Actor.RESPONDER)
    return response


# What the audit log records when a moderator decides on a service's response, or on the contributor's reply to one.
_DECISION_ACTIONS = {
    Response: (AuditEvent.Action.RESPONSE_PUBLISHED, AuditEvent.Action.RESPONSE_DECLINED),
    ResponseReply: (AuditEvent.Action.REPLY_PUBLISHED, AuditEvent.Action.REPLY_DECLINED),
}


def _story_id(item: Response | ResponseReply) -> int:
    return item.story_id if isinstance(item, Response) else item.response.story_id


def _pending(item: Response | ResponseReply, user) -> Response | ResponseReply:
    """The item, locked, if this user may decide on it and nobody has yet."""
    item = type(item).objects.select_for_update(of=("self",)).get(pk=item.pk)
    if not roles.can_review(user) or item.status != Response.Status.PENDING:
        raise PermissionDenied
    return item


@transaction.atomic
def publish(item: Response | ResponseReply, user) -> None:
    """Publish a response, or a reply to one, under its story: only while the story is public."""
    item = _pending(item, user)
    story_id = _story_id(item)
    if not StoryPage.objects.published().filter(pk=story_id).exists():
        raise PermissionDenied  # the story is no longer public: its responses went with it
    if isinstance(item, ResponseReply) and item.response.status != Response.Status.PUBLISHED:
        raise PermissionDenied
    item.status = Response.Status.PUBLISHED
    item.published_at = timezone.now()
    item.save(update_fields=["status", "published_at"])
    AuditEvent.record(story_id, _DECISION_ACTIONS[type(item)][0], AuditEvent.actor_for(user))
    if isinstance(item, Response) and item.records_change:
        AuditEvent.record(story_id, AuditEvent.Action.CHANGE_RECORDED, AuditEvent.Actor.RESPONDER)


@transaction.atomic
def decline(item: Response | ResponseReply, user, code: str, note: str) -> None:
    """Not published, for a reason on the policy's closed list of declines (the form offers only those)."""
    item = _pending(item, user)
    item.status = Response.Status.DECLINED
    item.decline_code = code
    item.decision_note = note
    item.save(update_fields=["status", "decline_code", "decision_note"])
    AuditEvent.record(_story_id(item), _DECISION_ACTIONS[type(item)][1], AuditEvent.actor_for(user), code)


def may_take_down(user) -> bool:
    """Staff moderators take a published response down, as they do a story (never peer moderators or services)."""
    return roles.can_take_down(user)


@transaction.atomic
def take_down(response: Response, user, code: str, note: str) -> None:
    """Take a published response off its story for a reason on the policy's closed list; the replies under it go
    with it. The decision stays with the response, and the audit log and the public report count it."""
    response = Response.objects.select_for_update(of=("self",)).get(pk=response.pk)
    if not may_take_down(user) or response.status != Response.Status.PUBLISHED:
        raise PermissionDenied
    response.status = Response.Status.TAKEN_DOWN
    response.decline_code = code
    response.decision_note = note
    response.save(update_fields=["status", "decline_code", "decision_note"])
    AuditEvent.record(response.story_id, AuditEvent.Action.RESPONSE_TAKEN_DOWN, AuditEvent.actor_for(user), code)
    transaction.on_commit(lambda: tell_responder_taken_down(response))


def tell_responder_taken_down(response: Response) -> bool:
    """A decision is explained to the person it is about: the responder who wrote a response hears that it was taken
    down, for which reason on the policy and with the moderator's note, and what they can do. Returns whether told."""
    user = response.responder.user if response.responder_id else None
    if user is None or not user.is_active or not user.email:
        return False
    reason = policy.reason(response.decline_code)
    context = {
        "response": response,
        "story": response.story,
        "reason": reason,
        "policy": settings.WAGTAILADMIN_BASE_URL + reverse("moderation:policy"),
        "stories": settings.WAGTAILADMIN_BASE_URL + reverse("services_admin:stories"),
    }
    text = render_to_string("services/email/response_taken_down.txt", context)
    send_mail("A response you wrote has been taken down", text, None, [user.email], fail_silently=True)
    return True


@transaction.atomic
def send_reply(story: StoryPage, response_id: int, body: str, experience: str) -> ResponseReply | None:
    """The contributor replies to a published response under their own story (None if there is no such response)."""
    response = published_under(story).filter(pk=response_id).first()
    if response is None:
        return None
    reply = ResponseReply.objects.create(response=response, body=body, experience=experience)
    AuditEvent.record(story.pk, AuditEvent.Action.REPLY_SENT, AuditEvent.Actor.CONTRIBUTOR)
    return reply


def published_under(story: StoryPage) -> QuerySet[Response]:
    return published_responses(story=story).order_by("published_at", "pk")


def pending_replies() -> QuerySet[ResponseReply]:
    return ResponseReply.objects.filter(status=Response.Status.PENDING).select_related(
        "response__story", "response__service"
    )


def pending_responses() -> QuerySet[Response]:
    return Response.objects.filter(status=Response.Status.PENDING).select_related("story", "service")


def alert_responders(story_id: int, service_ids: list[int] | None = None) -> int:
    """Tell the responders for the services a newly published story is about (or only for `service_ids`, which its
    contributor has just confirmed): its title and link, nothing else. Only a story the public can read, whose
    contributor welcomes responses. Returns how many were told."""
    story = StoryPage.objects.published().filter(pk=story_id).first()
    if story is None or not responses_allowed(story):
        return 0
    link = settings.WAGTAILADMIN_BASE_URL + story.url
    responders = Responder.objects.filter(
        services__story_links__story=story, services__story_links__confirmed=True, user__is_active=True
    )
    if service_ids is not None:
        responders = responders.filter(services__in=service_ids)
    recipients = responders.exclude(user__email="").values_list("user__email", flat=True).distinct()
    text = render_to_string("services/email/story_published.txt", {"story": story, "link": link})
    for address in recipients:
        send_mail("A story about your service has been published", text, None, [address], fail_silently=True)
    return len(recipients)


def send_invitation(responder: Responder) -> None:
    """Tell someone staff invited to respond how to start: a link to set their password (Django's password reset
    token, which works once and for settings.PASSWORD_RESET_TIMEOUT), then the same two-step sign-in as all staff.
    It names their role and services, nothing of any story."""
    user = responder.user
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
    )
    context = {
        "responder": responder,
        "services": [service.name for service in responder.services.all()],
        "link": settings.WAGTAILADMIN_BASE_URL + path,
        "sign_in": settings.WAGTAILADMIN_BASE_URL + reverse("wagtailadmin_login"),
        "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
    }
    text = render_to_string("services/email/invitation.txt", context)
    send_mail("You are invited to respond to stories on Voicebox", text, None, [user.email], fail_silently=True)
