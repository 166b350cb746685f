"""The audit log: what happened to each story, and the one registry of what can happen (`AuditEvent.Action`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import roles


class AuditEvent(models.Model):
    """What happened to a story, when, and by which kind of actor. Never the story's content.

    `story_ref` is a plain number, not a foreign key: the record outlives the story's erasure.
    """

    class Actor(models.TextChoices):
        CONTRIBUTOR = "contributor", "Contributor"
        MODERATOR = "moderator", "Moderator"
        PEER_MODERATOR = "peer_moderator", "Peer moderator"
        RESPONDER = "responder", "Responder for a service"
        SYSTEM = "system", "System"

    class Action(models.TextChoices):
        """Every step the audit log records, with the words the log shows for it. The public report counts these
        codes, so a step is named here and nowhere else as a string; its words are translated, as the report shows
        them."""

        SUBMITTED = "submitted", _("Shared by the contributor")
        ASSISTED = "assisted", _("Shared with the help of a peer worker or staff member, who entered it with them")
        TRANSCRIPT_READY = "transcript_ready", _("Transcript ready for the contributor to check")
        TRANSCRIPT_CONFIRMED = "transcript_confirmed", _("Transcript checked and corrected by the contributor")
        TRANSCRIPT_SENT_AS_IS = "transcript_sent_as_is", _("Transcript sent on as it was by the contributor")
        TRANSCRIPT_SKIPPED = "transcript_skipped", _("Sent on without a transcript by the contributor")
        CONSENT_CHECKED = "consent_checked", _("Consent record checked")
        EDITS_PROPOSED = "edits_proposed", _("Edits proposed to the contributor")
        EDITS_PREAUTHORISED = "edits_preauthorised", _("Minimal edits made, as the contributor pre-authorised")
        EDITS_ACCEPTED = "edits_accepted", _("Edits accepted by the contributor")
        EDITS_REPLIED = "edits_replied", _("The contributor replied to the edits")
        DECLINE_PROPOSED = "decline_proposed", _("Decline proposed")
        DECLINE_OVERTURNED = "decline_overturned", _("Decline overturned by a second moderator")
        DECLINED = "declined", _("Declined, confirmed by a second moderator")
        DECLINE_REPLIED = "decline_replied", _("The contributor replied to the decline")
        PAUSED = "paused", _("Paused for safeguarding")
        PAUSE_ANSWERED = "pause_answered", _("The contributor answered the safeguarding pause")
        SAFEGUARDING_HANDLED = "safeguarding_handled", _("Safeguarding handled: back to moderation")
        APPEAL_LODGED = "appeal_lodged", _("Appeal lodged by the contributor")
        APPEAL_PUBLISHED = "appeal_published", _("Appeal decided: published")
        APPEAL_EDITS = "appeal_edits_proposed", _("Appeal decided: published once the contributor agrees to edits")
        APPEAL_DECLINE_UPHELD = "appeal_decline_upheld", _("Appeal decided: the decline stands")
        PUBLICATION_DECIDED = "publication_decided", _("Decided to publish: being published")
        PUBLICATION_FAILED = "publication_failed", _("Could not be published: waiting for a moderator to try again")
        PUBLISHED = "published", _("Published")
        PUBLISHED_WITH_EDITS = "published_with_edits", _("Published with edits the contributor agreed to")
        FLAGGED_CRITICAL = "flagged_critical", _("Flagged as critical of services")
        UNFLAGGED_CRITICAL = "unflagged_critical", _("No longer flagged as critical of services")
        MARKED_CRITICAL = "marked_critical", _("Marked as critical of services by the contributor")
        UNMARKED_CRITICAL = "unmarked_critical", _("No longer marked as critical of services by the contributor")
        CONSENT_EXPIRED = "consent_expired", _("Unpublished: the contributor's consent ended")
        TAKEN_DOWN = "taken_down", _("Unpublished by a staff moderator under the policy: the contributor may appeal")
        WITHDRAWN = "withdrawn", _("Withdrawn and erased by the contributor")
        CHOICES_CHANGED = "choices_changed", _("The contributor changed their choices: applied at once")
        CHOICES_TO_CHECK = "choices_to_check", _("The contributor asked to show their story more widely: to check")
        CHOICES_APPROVED = "choices_approved", _("Wider choices approved by a moderator and applied")
        CHOICES_DECLINED = "choices_declined", _("Wider choices not approved by a moderator")
        # After publication, services named in the story may respond; their responses pass the same policy.
        RESPONSE_SENT = "response_sent", _("A service sent a response, for a moderator to check against the policy")
        RESPONSE_PUBLISHED = "response_published", _("A service's response published")
        RESPONSE_DECLINED = "response_declined", _("A service's response not published, for a reason on the policy")
        RESPONSE_TAKEN_DOWN = (
            "response_taken_down",
            _("A service's published response taken down by a staff moderator, for a reason on the policy"),
        )
        CHANGE_RECORDED = "change_recorded", _("A service recorded a change, planned or made")
        REPLY_SENT = "reply_sent", _("The contributor replied to a service's response, for a moderator to check")
        REPLY_PUBLISHED = "reply_published", _("The contributor's reply to a service's response published")
        REPLY_DECLINED = "reply_declined", _("The contributor's reply not published, for a reason on the policy")
        HIDDEN_BY_CONTRIBUTOR = "hidden_by_contributor", _("Taken down for now by the contributor")
        HIDDEN_ON_REQUEST = "hidden_on_request", _("Taken down for now by staff at the contributor's request")
        PUT_BACK = "put_back", _("Put back by the contributor after taking it down for now")
        LINK_REISSUED = "link_reissued", _("New private link issued by email at the contributor's request")

    story_ref = models.PositiveBigIntegerField(db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_role = models.CharField(max_length=16, choices=Actor.choices)
    action = models.CharField(max_length=40, choices=Action.choices)
    policy_code = models.CharField(max_length=40, blank=True)
    # How the story reached us (Contribution.Channel), on its "submitted" event only: the report counts by channel
    # after the story itself is erased.
    channel = models.CharField(max_length=16, blank=True)
    # Who helped, on an "assisted" event only: shown to moderators on the review screen, never in anything public.
    # The record stays if their account goes; then only their role remains.
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} story {self.story_ref}: {self.action}"

    @classmethod
    def actor_for(cls, user) -> str:
        """The audit log's role for an action by this user (None means the system acted)."""
        if user is None or not user.is_authenticated:
            return cls.Actor.SYSTEM
        return cls.Actor.PEER_MODERATOR if roles.is_peer_moderator(user) else cls.Actor.MODERATOR

    @classmethod
    def record(
        cls,
        story_ref: int,
        action: Action,
        actor_role: str,
        policy_code: str = "",
        channel: str = "",
        staff_member=None,
    ) -> "AuditEvent":
        # An unregistered step fails here (ValueError) rather than being logged as a code the report cannot count.
        return cls.objects.create(
            story_ref=story_ref,
            action=cls.Action(action),
            actor_role=actor_role,
            policy_code=policy_code,
            channel=channel,
            staff_member=staff_member,
        )
