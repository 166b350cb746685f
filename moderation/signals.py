"""Moderation's signal receivers, connected in ModerationConfig.ready()."""

from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.signals import task_submitted

from stories.models import StoryIndexPage
from transcription.signals import transcript_ready, transcription_failed

from . import previews, workflows
from .models import AuditEvent, Contribution, EditProposal, ModerationTaskState, StoryStatus
from .notifications import (
    ModerationTaskSubmittedNotifier,
    keep_wagtails_workflow_emails_off_stories,
    notify,
    notify_reviewers_transcription_failed,
)
from .roles import ensure_groups

moderation_task_submitted_notifier = ModerationTaskSubmittedNotifier()


def set_up_moderation(sender, **kwargs):
    ensure_groups()
    workflows.ensure_story_workflow()


def assign_story_workflow(sender, instance, created, raw=False, **kwargs):
    # Every story goes through the Voicebox workflow, including stories under an index page made after migrate.
    if created and not raw:
        workflows.ensure_story_workflow()


def transcript_ready_for_checking(sender, story_id: int, status: str, **kwargs):
    """The recording has been written out: the contributor checks it (and confirms their choices) before moderation."""
    contribution = Contribution.objects.filter(story_id=story_id, status=StoryStatus.PROCESSING).first()
    if contribution is None:
        return
    contribution.status = StoryStatus.AWAITING_CONTRIBUTOR
    contribution.save(update_fields=["status", "status_changed_at"])
    workflows.record(contribution, AuditEvent.Action.TRANSCRIPT_READY)
    notify(contribution, "transcript_ready")


def transcription_failed_for_moderators(sender, story_id: int, status: str, **kwargs):
    """The worker gave up on a recording: the reviewers hear of it, and see the story in their queue."""
    contribution = Contribution.objects.filter(story_id=story_id, status=StoryStatus.PROCESSING).first()
    if contribution is not None:
        notify_reviewers_transcription_failed(contribution)


def connect(app_config) -> None:
    post_migrate.connect(set_up_moderation, sender=app_config, dispatch_uid="moderation_setup")
    post_save.connect(assign_story_workflow, sender=StoryIndexPage, dispatch_uid="moderation_assign_workflow")
    task_submitted.connect(
        moderation_task_submitted_notifier, sender=ModerationTaskState, dispatch_uid="moderation_task_submitted"
    )
    transcript_ready.connect(transcript_ready_for_checking, dispatch_uid="moderation_transcript_ready")
    transcription_failed.connect(transcription_failed_for_moderators, dispatch_uid="moderation_transcription_failed")
    keep_wagtails_workflow_emails_off_stories()
    post_delete.connect(previews.delete_preview, sender=EditProposal, dispatch_uid="moderation_delete_preview")
