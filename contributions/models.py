"""The contributor side's own record: recordings held while their contributor finishes the share form."""

from django.db import models


class HeldUpload(models.Model):
    """A recording checked and stored privately while its contributor finishes the share form.

    Claimed (this row deleted, the media kept) when the story is submitted; erased with its files if the form is
    abandoned, so no one's voice is kept for a story they never sent.
    """

    media = models.OneToOneField("stories.StoryMedia", on_delete=models.CASCADE, related_name="+")
    held_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"Held upload {self.pk}"
