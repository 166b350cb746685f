"""A story taken down for now by staff because its contributor asked without their private link."""

from django.conf import settings
from django.db import models


class TakedownOnRequest(models.Model):
    """Who checked that the person asking was the story's contributor, and how, in their own note.

    Goes with the contribution when the story is erased: the note may say how the person was reached.
    """

    contribution = models.ForeignKey(
        "moderation.Contribution", on_delete=models.CASCADE, related_name="takedowns_on_request"
    )
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    how_checked = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"Taken down on request ({self.at:%Y-%m-%d})"
