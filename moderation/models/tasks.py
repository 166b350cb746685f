"""Voicebox's own Wagtail workflow tasks: a consent check, then moderation under the charter.

Moderators use Wagtail's dashboard, task queue, locking and history; these classes ask the workflow
(`moderation.workflows`) which actions each user may take at each stage, and take them from its one registry
(`ACTIONS`: label, form, step). The workflow builds on these models, so it is not imported here: it is handed to
the tasks once every app has loaded (`ModerationConfig.ready` calls `use_workflow`).
"""

from types import ModuleType

from django import forms
from django.db import models
from wagtail.models import Task, TaskState
from wagtail.signals import task_submitted

from .. import policy, roles


class ReviewerAccess:
    """Who may open a story under review: reviewers see it; only superusers may change the page directly."""

    # moderation.workflows, set by use_workflow() at start-up.
    workflow: ModuleType

    def user_can_access_editor(self, obj, user):
        return roles.can_review(user)

    def locked_for_user(self, obj, user):
        # Moderators never change a story directly: every edit is a proposal the contributor sees and accepts.
        return not user.is_superuser


class ConsentCheckTask(ReviewerAccess, Task):
    """Passes by itself when the story's consent record is complete and pinned to a consent text version; otherwise
    it waits for a moderator to check the consent (for example a consent given on paper) and let it through."""

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        if self.workflow.consent_problem(workflow_state.content_object) is None:
            task_state.approve(user=None, update=False, comment="The consent record is complete.")
            self.workflow.record_consent_checked(workflow_state.content_object)
        return task_state

    def get_actions(self, obj, user):
        if roles.can_review(user):
            return [("approve", "Consent checked", False)]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if roles.can_review(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return "Checks each story's consent record before moderation."

    class Meta:
        verbose_name = "Consent check task"
        verbose_name_plural = "Consent check tasks"


class Stage(models.TextChoices):
    REVIEW = "review", "Waiting for review"
    DECLINE_PROPOSED = "decline_proposed", "Decline waiting for a second moderator"
    WITH_CONTRIBUTOR = "with_contributor", "Edits waiting for the contributor"
    PAUSED = "paused", "Paused for safeguarding"
    APPEAL = "appeal", "Appeal waiting for review"


class ModerationTaskState(TaskState):
    stage = models.CharField(max_length=24, choices=Stage.choices, default=Stage.REVIEW)

    class Meta:
        verbose_name = "Moderation task state"
        verbose_name_plural = "Moderation task states"


class DeclineForm(forms.Form):
    code = forms.ChoiceField(
        label="Reason (from the published policy)", choices=policy.choices(policy.ReasonKind.DECLINE)
    )
    passage = forms.CharField(
        label="The passage this is about, quoted exactly", widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(label="Note for the contributor", widget=forms.Textarea(attrs={"rows": 3}))


class PauseForm(forms.Form):
    passage = forms.CharField(label="The passage that shows current risk", widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(
        label="What you noticed (for the safeguarding lead)", widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))


class ModerationTask(ReviewerAccess, Task):
    """Moderation under the charter: publish, propose edits, decline (two moderators), or pause for safeguarding."""

    task_state_class = ModerationTaskState

    def start(self, workflow_state, user=None):
        task_state = ModerationTaskState(
            workflow_state=workflow_state,
            status=TaskState.STATUS_IN_PROGRESS,
            revision=workflow_state.content_object.get_latest_revision(),
            task=self,
            stage=self.workflow.stage_for_new_review(workflow_state.content_object),
        )
        task_state.save()
        task_submitted.send(sender=ModerationTaskState, instance=task_state, user=user)
        return task_state

    def get_actions(self, obj, user):
        task_state = obj.current_workflow_task_state
        if task_state is None or not roles.can_review(user):
            return []
        return [
            (name, self.workflow.ACTIONS[name].label, self.workflow.ACTIONS[name].form is not None)
            for name in self.workflow.available_actions(task_state, user)
        ]

    def get_form_for_action(self, action):
        return self.workflow.ACTIONS[action].form if action in self.workflow.ACTIONS else None

    def on_action(self, task_state, user, action_name, **kwargs):
        return self.workflow.perform_action(task_state.specific, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not roles.can_review(user):
            return TaskState.objects.none()
        return TaskState.objects.filter(pk__in=self.workflow.reviewable_task_state_ids(self, user))

    @classmethod
    def get_description(cls):
        return "Publish, propose edits, decline with a second moderator, or pause for safeguarding."

    class Meta:
        verbose_name = "Moderation task"
        verbose_name_plural = "Moderation tasks"


def use_workflow(workflow: ModuleType) -> None:
    """Hand the workflow to the tasks that ask it (called once, from ModerationConfig.ready)."""
    ReviewerAccess.workflow = workflow
