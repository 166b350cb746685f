"""Moderation's signal receivers, connected in ModerationConfig.ready()."""

from django.db.models.signals import post_migrate, post_save
from wagtail.signals import task_submitted

from stories.models import StoryIndexPage

from .models import ModerationTaskState
from .notifications import ModerationTaskSubmittedNotifier
from .roles import ensure_groups
from .workflows import ensure_story_workflow

moderation_task_submitted_notifier = ModerationTaskSubmittedNotifier()


def set_up_moderation(sender, **kwargs):
    ensure_groups()
    ensure_story_workflow()


def assign_story_workflow(sender, instance, created, raw=False, **kwargs):
    # Every story goes through the Voicebox workflow, including stories under an index page made after migrate.
    if created and not raw:
        ensure_story_workflow()


def connect(app_config) -> None:
    post_migrate.connect(set_up_moderation, sender=app_config, dispatch_uid="moderation_setup")
    post_save.connect(assign_story_workflow, sender=StoryIndexPage, dispatch_uid="moderation_assign_workflow")
    task_submitted.connect(
        moderation_task_submitted_notifier, sender=ModerationTaskState, dispatch_uid="moderation_task_submitted"
    )
