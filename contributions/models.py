"""The contributor side's own records: recordings held while their contributor finishes the share form, and the ways
to reach someone who can help a person share (a site setting edited in the admin)."""

from django.db import models
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site


class HeldUpload(models.Model):
    """A recording checked and stored privately while its contributor finishes the share form.

    Claimed (this row deleted, the media kept) when the story is submitted; erased with its files if the form is
    abandoned, so no one's voice is kept for a story they never sent.
    """

    media = models.OneToOneField("stories.StoryMedia", on_delete=models.CASCADE, related_name="+")
    held_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"Held upload {self.pk}"


@register_setting(icon="group")
class SharingHelp(BaseSiteSetting):
    """How a person can reach a peer worker or a member of staff who will help them share (assisted sharing).

    Offered on the first step of /share/, and only the routes filled in here; with none, the offer is not shown.
    """

    phone = models.CharField(
        max_length=30, blank=True, help_text="As people should dial it, for example: 0161 496 0000"
    )
    phone_hours = models.CharField(
        max_length=200, blank=True, help_text="When someone answers, for example: Monday to Friday, 10am to 4pm"
    )
    email = models.EmailField(blank=True, help_text="An address someone reads, to ask for help to share.")
    drop_in = models.TextField(
        blank=True,
        help_text="Where and when people can come and share with a peer worker in person, in plain words.",
    )

    panels = [
        HelpPanel(
            content="People who would like help to share see these on the first step of the share form. Leave them "
            "all empty to not offer help."
        ),
        FieldPanel("phone"),
        FieldPanel("phone_hours"),
        FieldPanel("email"),
        FieldPanel("drop_in"),
    ]

    class Meta:
        verbose_name = "help to share"

    @classmethod
    def reading(cls, site: Site | None) -> "SharingHelp":
        """The site's settings, or empty ones until someone saves them. Never writes (see CrisisSignposting)."""
        saved = cls.objects.filter(site=site).first() if site else None
        return saved or cls(site=site)

    @property
    def offered(self) -> bool:
        return bool(self.phone or self.email or self.drop_in.strip())
