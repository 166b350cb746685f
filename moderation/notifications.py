"""Emails: to contributors who left an address, about their story; to moderators, about work waiting for them.

Through Django's email framework (console in development, SMTP in production), with a text and an HTML version of
each. Emails are sent once the database transaction commits, so nobody hears about a step that was rolled back.
Staff emails never carry a story's words or title: only a link to the admin. Wagtail's own workflow emails (to
superusers when a page is submitted, to whoever submitted it when it is approved or rejected) name the page, so for
stories they are not sent; they still are for any other page a workflow may govern.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from wagtail.admin import signal_handlers as wagtail_emails
from wagtail.admin.mail import EmailNotificationMixin, Notifier
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected, workflow_submitted

from base.models import CrisisSignposting
from stories.models import StoryPage

from . import roles
from .models import Contribution, ModerationTaskState
from .models.tasks import Stage
from .state import appeal_needs_reviewer, contribution_for, involved_in_decline, open_appeal, pending_decline

logger = logging.getLogger(__name__)

# In the contributor's language: notify() renders them, and the email, under their interface language.
CONTRIBUTOR_SUBJECTS = {
    "received": _("We have your story"),
    "transcript_ready": _("The written version of your recording is ready to check"),
    "edits_proposed": _("A moderator has suggested changes to your story"),
    "published": _("Your story is published"),
    "declined": _("We have not published your story"),
    "taken_down": _("We have taken your story off the site"),
    "appeal_outcome": _("The outcome of your appeal"),
    "safeguarding": _("We have paused your story, and here is where to find help"),
    "fresh_link": _("A new link to your story"),
}

# Staff emails stay in English (_send renders them in the site's default language).
STAFF_SUBJECTS = {
    "second_opinion": "A proposed decline needs a second moderator",
    "safeguarding_lead": "A story has been paused for safeguarding",
    "transcription_failed": "A recording could not be transcribed",
}


def _send(subject: str, template: str, context: dict, recipients: list[str], what: str, language: str = "") -> None:
    """Render the email now, in `language` (the site's default language unless given), whatever language is active:
    emails are also sent from background tasks, and links built with reverse() or {% url %} take its prefix."""
    context = {**context, "site_url": settings.WAGTAILADMIN_BASE_URL}
    with override(language or settings.LANGUAGE_CODE):
        subject = str(subject)
        text = render_to_string(f"moderation/email/{template}.txt", context)
        html = render_to_string(f"moderation/email/{template}.html", context)

    def send():
        for address in recipients:
            message = EmailMultiAlternatives(subject, text, to=[address])
            message.attach_alternative(html, "text/html")
            try:
                message.send()
            except Exception:
                # Never the address or the story in the log: only which email could not go.
                logger.exception("Could not send the %s email.", what)

    transaction.on_commit(send)


def notify(contribution: Contribution, kind: str, **context) -> bool:
    """Tell the contributor about their story, if they left an email address. Returns whether an email was queued."""
    if not contribution.email:
        return False
    context = {"contribution": contribution, "signposting": CrisisSignposting.for_default_site(), **context}
    language = getattr(contribution, "interface_language", "") or settings.LANGUAGE_CODE
    _send(CONTRIBUTOR_SUBJECTS[kind], kind, context, [contribution.email], kind, language)
    return True


def review_url(contribution: Contribution) -> str:
    return settings.WAGTAILADMIN_BASE_URL + reverse("moderation_admin:review", args=[contribution.pk])


def _notify_staff(users, kind: str, contribution: Contribution) -> None:
    addresses = sorted({user.email for user in users if user.is_active and user.email})
    if addresses:
        _send(STAFF_SUBJECTS[kind], f"staff_{kind}", {"review_url": review_url(contribution)}, addresses, kind)


def notify_reviewers_second_opinion(task_state) -> None:
    contribution = contribution_for(task_state.workflow_state.content_object)
    decision = pending_decline(contribution)
    _notify_staff(roles.reviewers().exclude(pk=decision.made_by_id), "second_opinion", contribution)


def notify_safeguarding_leads(contribution: Contribution) -> None:
    _notify_staff(roles.safeguarding_leads(), "safeguarding_lead", contribution)


def notify_reviewers_transcription_failed(contribution: Contribution) -> None:
    _notify_staff(roles.reviewers(), "transcription_failed", contribution)


class ModerationTaskSubmittedNotifier(EmailNotificationMixin, Notifier):
    """Wagtail's workflow notification for Voicebox's moderation task: the reviewers who can act on it hear of it
    (for an appeal, the moderators who took no part in the decline), respecting their notification preferences."""

    notification = "submitted"
    template_directory = "moderation/email/"

    def __init__(self):
        super().__init__((TaskState,))

    def can_handle(self, instance, **kwargs):
        return isinstance(instance, ModerationTaskState)

    def get_template_base_prefix(self, instance, **kwargs):
        return "staff_task_"

    def get_recipient_users(self, task_state, **kwargs):
        contribution = contribution_for(task_state.workflow_state.content_object)
        appeal = open_appeal(contribution) if task_state.stage == Stage.APPEAL else None
        if appeal:
            # Nobody who took no part may decide it: the team leads hear of it, to add someone who can.
            invited = roles.appeal_invitees(involved_in_decline(appeal.decision))
            return set(invited) or set(roles.team_leads())
        return set(roles.reviewers())

    def get_context(self, task_state, **kwargs):
        context = super().get_context(task_state, **kwargs)
        contribution = contribution_for(task_state.workflow_state.content_object)
        context["review_url"] = review_url(contribution)
        context["is_appeal"] = task_state.stage == Stage.APPEAL
        context["appeal_needs_reviewer"] = context["is_appeal"] and appeal_needs_reviewer(contribution)
        return context


class NotForStories:
    """One of Wagtail's workflow emails, sent about anything but a story."""

    def __init__(self, notifier):
        self.notifier = notifier

    def __call__(self, sender, instance: WorkflowState, **kwargs):
        if issubclass(instance.content_type.model_class(), StoryPage):
            return False
        return self.notifier(instance=instance, **kwargs)


# Wagtail's workflow emails: the signal, the dispatch_uid Wagtail connects each with, and Wagtail's notifier.
WAGTAIL_WORKFLOW_EMAILS = [
    (
        workflow_submitted,
        "workflow_state_submitted_email_notification",
        wagtail_emails.workflow_submission_email_notifier,
    ),
    (workflow_approved, "workflow_state_approved_email_notification", wagtail_emails.workflow_approval_email_notifier),
    (workflow_rejected, "workflow_state_rejected_email_notification", wagtail_emails.workflow_rejection_email_notifier),
]


def keep_wagtails_workflow_emails_off_stories() -> None:
    """Put each of Wagtail's workflow emails behind NotForStories, in the place Wagtail connects it (its
    dispatch_uid): if Wagtail connected first it is replaced, and if it connects later its place is taken."""
    for signal, dispatch_uid, notifier in WAGTAIL_WORKFLOW_EMAILS:
        signal.disconnect(sender=WorkflowState, dispatch_uid=dispatch_uid)
        signal.connect(NotForStories(notifier), sender=WorkflowState, dispatch_uid=dispatch_uid, weak=False)
