"""What moderators decided about a story, and what the contributor answered.

Every decline, pause and edit names a code from `moderation.policy`, quotes the passage it concerns and carries a
note, so it can be explained to the contributor and appealed. These rows hold story content (quoted passages), so
they belong to the story's private record and are erased with it; the content-free `AuditEvent` outlives them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stories.storage import private_storage, random_media_name

from .. import policy


def _validate_code(kind: policy.ReasonKind):
    def validate(code: str) -> None:
        if code not in dict(policy.choices(kind)):
            raise ValidationError(f"{code!r} is not a {kind} reason on the published policy.")

    return validate


class Decision(models.Model):
    """A decline or a pause. A decline is only final once a second moderator confirms it."""

    class Kind(models.TextChoices):
        DECLINE = "decline", "Decline"
        PAUSE = "pause", "Pause for safeguarding"

    class Status(models.TextChoices):
        AWAITING_SECOND = "awaiting_second", "Waiting for a second moderator"
        CONFIRMED = "confirmed", "Confirmed"
        OVERTURNED = "overturned", "Not confirmed: back to review"

    contribution = models.ForeignKey("moderation.Contribution", on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    code = models.CharField(max_length=40, choices=[(r.code, r.title) for r in policy.ALL_REASONS])
    policy_version = models.CharField(max_length=16, default=policy.POLICY_VERSION, editable=False)
    passage = models.TextField(help_text="The words of the story this decision is about, quoted exactly.")
    note = models.TextField(help_text="Why, in plain words the contributor will read.")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    second_moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    second_at = models.DateTimeField(null=True, blank=True)
    second_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-made_at", "-pk"]
        permissions = [
            ("review_story", "Can review stories and take moderation actions"),
            ("handle_safeguarding", "Can see the safeguarding queue and return paused stories to review"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.code}) on contribution {self.contribution_id}"

    def save(self, *args, **kwargs):
        # The closed list is enforced on every save, not only in forms: no code outside the policy is ever stored.
        self.clean()
        super().save(*args, **kwargs)

    def clean(self):
        kind = policy.ReasonKind.DECLINE if self.kind == self.Kind.DECLINE else policy.ReasonKind.PAUSE
        _validate_code(kind)(self.code)

    @property
    def reason(self) -> policy.PolicyReason:
        return policy.reason(self.code)


class EditProposal(models.Model):
    """A set of redactions a moderator proposes; the contributor accepts them or replies."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared by a moderator")
        SENT = "sent", _("Waiting for the contributor")
        ACCEPTED = "accepted", _("Accepted by the contributor")
        PREAUTHORISED = "preauthorised", _("Made under the contributor's pre-authorisation")
        REPLIED = "replied", _("The contributor replied")

    contribution = models.ForeignKey("moderation.Contribution", on_delete=models.CASCADE, related_name="proposals")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    sent_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(blank=True, help_text="What the contributor said instead of accepting.")
    answered_at = models.DateTimeField(null=True, blank=True)
    # The recording as publishing would make it with these edits (moderation.previews): private, for the story's
    # reviewers and its contributor, and made for the silenced ranges recorded beside it.
    preview = models.FileField(storage=private_storage, upload_to=random_media_name, blank=True)
    preview_silence = models.JSONField(null=True, blank=True)

    APPLIED = (Status.ACCEPTED, Status.PREAUTHORISED)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Edits for contribution {self.contribution_id} ({self.get_status_display()})"

    @property
    def only_identifying_details(self) -> bool:
        redactions = list(self.redactions.all())
        return bool(redactions) and all(policy.reason(r.code).identifying_detail for r in redactions)


class Redaction(models.Model):
    """One span of a story's text, transcript, title, display name or summary replaced by a labelled placeholder
    such as "[name removed]"."""

    class Target(models.TextChoices):
        BODY = "body", "Story text"
        TRANSCRIPT = "transcript", "Transcript"
        TITLE = "title", "Title"
        DISPLAY_NAME = "display_name", "Display name"
        SUMMARY = "summary", "Summary"

    proposal = models.ForeignKey(EditProposal, on_delete=models.CASCADE, related_name="redactions")
    target = models.CharField(max_length=16, choices=Target.choices)
    # Which paragraph (body) or segment (transcript), 0 for the texts a story has one of, and the character span.
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    passage = models.TextField(help_text="The exact words removed.")
    code = models.CharField(max_length=40, choices=policy.choices(policy.ReasonKind.EDIT))
    label = models.CharField(max_length=16, choices=policy.label_choices())
    note = models.TextField(blank=True)
    policy_version = models.CharField(max_length=16, default=policy.POLICY_VERSION, editable=False)
    # Transcript spans: the time range silenced in the published media (seconds), from the word timestamps.
    start_time = models.FloatField(null=True, blank=True)
    end_time = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["target", "index", "start"]

    def __str__(self):
        return f"{self.placeholder} in {self.get_target_display().lower()} {self.index}"

    def save(self, *args, **kwargs):
        _validate_code(policy.ReasonKind.EDIT)(self.code)
        super().save(*args, **kwargs)

    @property
    def placeholder(self) -> str:
        return policy.placeholder(self.label)

    @property
    def reason(self) -> policy.PolicyReason:
        return policy.reason(self.code)


class Appeal(models.Model):
    """The contributor's appeal against a confirmed decline, decided by a moderator who took no part in it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        PUBLISHED = "published", _("Appeal accepted: published")
        EDITS_PROPOSED = "edits_proposed", _("Appeal accepted: edits proposed")
        DECLINE_UPHELD = "decline_upheld", _("The decline stands")

    contribution = models.ForeignKey("moderation.Contribution", on_delete=models.CASCADE, related_name="appeals")
    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="appeal")
    message = models.TextField(help_text="What the contributor wrote.")
    lodged_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-lodged_at", "-pk"]

    def __str__(self):
        return f"Appeal on contribution {self.contribution_id} ({self.get_status_display()})"


class SafeguardingConcern(models.Model):
    """The safeguarding route for a paused story: open until a safeguarding lead records what was done."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Handled"

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="concern")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # Where the story was when it was paused, so handling the concern returns it there.
    resume_stage = models.CharField(max_length=24)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["status", "-decision__made_at"]

    def __str__(self):
        return f"Safeguarding concern on contribution {self.decision.contribution_id} ({self.get_status_display()})"


class CriticalOfServicesFlag(models.Model):
    """A moderator's note that a story criticises services, so the public report can show it was not filtered out."""

    contribution = models.OneToOneField(
        "moderation.Contribution", on_delete=models.CASCADE, related_name="critical_of_services"
    )
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    flagged_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Contribution {self.contribution_id} criticises services"


class ContributorReply(models.Model):
    """The contributor's answer to a decline or to a safeguarding pause, in their words (and, for a pause, any of the
    quick answers). It reaches the people who decided: a reply to a decline goes to the moderation queue and the
    story's review screen, an answer to a pause to the safeguarding queue. Story content: erased with the story."""

    class QuickAnswer(models.TextChoices):
        SAFE_NOW = "safe_now", _("I'm safe now")
        HAVE_SUPPORT = "have_support", _("I have support")
        ABOUT_THE_PAST = "about_the_past", _("This was about the past")

    contribution = models.ForeignKey("moderation.Contribution", on_delete=models.CASCADE, related_name="replies")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="replies")
    quick_answers = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name_plural = "contributor replies"

    def __str__(self):
        return f"Reply on contribution {self.contribution_id} to its {self.decision.get_kind_display().lower()}"

    @property
    def quick_answer_labels(self) -> list[str]:
        labels = dict(self.QuickAnswer.choices)
        return [labels[code] for code in self.quick_answers if code in labels]
