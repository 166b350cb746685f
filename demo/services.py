"""The demo's service, so a new installation shows services listening after publication: a service named in one
demo story, a responder for it (invited, so without a password until they set one), and a published response that
records a change, counted in the audit log as a real one would be."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from moderation.models import AuditEvent
from services.models import Responder, Response, Service, StoryService
from services.responses import RESPONDERS
from stories.models import StoryPage

SERVICE = {
    "slug": "northshire-crisis-team",
    "name": "Northshire crisis and home treatment team",
    "organisation": "Northshire Mental Health NHS Trust (a demo service)",
    "area": "Northshire",
    "kind": Service.Kind.CRISIS,
}
RESPONDER_EMAIL = "crisis.team.lead@example.org"
RESPONDER_ROLE = "Crisis team manager"
RESPONDED_STORY = "nobody-asked-what-i-wanted"
RESPONSE = (
    "Thank you for writing this. Being promised a call back three times and then being met by the police is not the "
    "care we want anyone to get. We read your story at our team meeting and with our service user panel.",
)
CHANGE = "Every call-back promised by the crisis line now has a named person and a time, and is checked each shift."


@transaction.atomic
def ensure_demo_service() -> Service | None:
    story = StoryPage.objects.live().filter(slug=RESPONDED_STORY).first()
    if story is None:
        return None
    service, _ = Service.objects.get_or_create(slug=SERVICE["slug"], defaults=SERVICE)
    StoryService.objects.get_or_create(
        story=story, service=service, defaults={"source": StoryService.Source.CONTRIBUTOR}
    )
    user, created = get_user_model().objects.get_or_create(
        username=RESPONDER_EMAIL, defaults={"email": RESPONDER_EMAIL}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=RESPONDERS))
    responder, _ = Responder.objects.get_or_create(user=user, defaults={"role": RESPONDER_ROLE})
    responder.services.add(service)
    if not Response.objects.filter(story=story, service=service).exists():
        Response.objects.create(
            story=story,
            service=service,
            responder=responder,
            role=responder.role,
            kind=Response.Kind.CHANGE_MADE,
            body="\n\n".join(RESPONSE),
            change=CHANGE,
            status=Response.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        for action, actor in (
            (AuditEvent.Action.RESPONSE_SENT, AuditEvent.Actor.RESPONDER),
            (AuditEvent.Action.RESPONSE_PUBLISHED, AuditEvent.Actor.MODERATOR),
            (AuditEvent.Action.CHANGE_RECORDED, AuditEvent.Actor.RESPONDER),
        ):
            AuditEvent.record(story.pk, action, actor)
    return service
