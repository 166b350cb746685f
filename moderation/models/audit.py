from django.db import models


class AuditEvent(models.Model):
    """What happened to a story, when, and by which kind of actor. Never the story's content.

    `story_ref` is a plain number, not a foreign key: the record outlives the story's erasure.
    """

    class Actor(models.TextChoices):
        CONTRIBUTOR = "contributor", "Contributor"
        MODERATOR = "moderator", "Moderator"
        PEER_MODERATOR = "peer_moderator", "Peer moderator"
        SYSTEM = "system", "System"

    story_ref = models.PositiveBigIntegerField(db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_role = models.CharField(max_length=16, choices=Actor.choices)
    action = models.CharField(max_length=40)
    policy_code = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} story {self.story_ref}: {self.action}"

    @classmethod
    def record(cls, story_ref: int, action: str, actor_role: str, policy_code: str = "") -> "AuditEvent":
        return cls.objects.create(story_ref=story_ref, action=action, actor_role=actor_role, policy_code=policy_code)
