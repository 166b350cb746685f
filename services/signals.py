"""What services hear from the apps below them, connected in ServicesConfig.ready()."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from contributions.submission import story_submitted
from stories.generation import invalidate
from stories.models import StoryPage

from .forms import SHARE_QUESTION
from .models import Response, ResponseReply, Service, ServiceNamedInWords, StoryService
from .responses import alert_responders


def story_published(sender, instance, **kwargs):
    # Once the publication has committed (its audience restriction included): only a public story is announced.
    transaction.on_commit(lambda: alert_responders(instance.pk))


def story_unpublished(sender, instance, **kwargs):
    """A story taken off the site (taken down, consent ended, withdrawn) takes its responses with it."""
    Response.objects.filter(story_id=instance.pk).delete()


def name_services(sender, story, answers, **kwargs):
    """story_submitted receiver: the service the contributor named becomes their link to it, or, in words the
    directory does not know, waits for a moderator to find it there."""
    if not (words := answers.get(SHARE_QUESTION, "").strip()):
        return
    if service := Service.objects.filter(name__iexact=words).first():
        StoryService.objects.create(story=story, service=service, source=StoryService.Source.CONTRIBUTOR)
    else:
        ServiceNamedInWords.objects.create(story=story, words=words)


def connect() -> None:
    page_published.connect(story_published, sender=StoryPage, dispatch_uid="services_alert_responders")
    story_submitted.connect(name_services, dispatch_uid="services_named_at_share")
    page_unpublished.connect(story_unpublished, sender=StoryPage, dispatch_uid="services_responses_go_with_story")
    # Story pages and services' pages show these: a change makes cached public pages stale.
    for model in (Response, ResponseReply, Service, StoryService):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"services_{model.__name__}_saved")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"services_{model.__name__}_deleted")
