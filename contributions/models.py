"""The contributor side's own records: recordings held while their contributor finishes the share form, the ways
to reach someone who can help a person share (a site setting edited in the admin), and sharing events (each with its
own link for a shared device) with the stories shared at them."""

import secrets

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
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
        # Given to peer moderators and staff moderators through the group registry (contributions.wagtail_hooks).
        permissions = [("assist_sharing", "Can share a story with someone, entering it with them in the admin")]

    @classmethod
    def reading(cls, site: Site | None) -> "SharingHelp":
        """The site's settings, or empty ones until someone saves them. Never writes (see CrisisSignposting)."""
        saved = cls.objects.filter(site=site).first() if site else None
        return saved or cls(site=site)

    @property
    def offered(self) -> bool:
        return bool(self.phone or self.email or self.drop_in.strip())


def new_event_token() -> str:
    # 18 bytes = 144 random bits: an event's link cannot be guessed, so only the people at the event find it.
    return secrets.token_urlsafe(18)


class SharingEvent(models.Model):
    """An event or workshop where people share their stories in turn on a shared device, through its own link.

    The link opens the normal share flow for one person at a time; the device keeps nothing between people (see
    views/event.py). The link works from the start date to the end date: a link sent out beforehand does not open a
    shared device early, and a forgotten tab or a photo of the link does not keep the event open.
    """

    name = models.CharField(max_length=200)
    starts_on = models.DateField(help_text="The event's link starts working on this day.")
    ends_on = models.DateField(help_text="The event's link stops working after this day.")
    place = models.CharField(max_length=200)
    facilitator = models.CharField(max_length=200, help_text="Who runs it: a person, or a team.")
    token = models.CharField(max_length=32, unique=True, default=new_event_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        HelpPanel(
            content="The event gets its own link, shown in the list of events once it is saved. Open it on the "
            "device people will share on: each person shares in turn, and the device keeps nothing between them."
        ),
        FieldPanel("name"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
        FieldPanel("place"),
        FieldPanel("facilitator"),
    ]

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = "sharing event"

    def __str__(self):
        return self.name

    @admin.display(description="Link to open on the shared device")
    def get_absolute_url(self) -> str:
        return reverse("contributions:share_event", args=[self.token])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The event can't end before it starts."})

    def has_started(self) -> bool:
        return timezone.localdate() >= self.starts_on

    def is_over(self) -> bool:
        return timezone.localdate() > self.ends_on

    @admin.display(description="Stories shared")
    def stories_shared(self) -> int:
        return self.stories.count()


class EventStory(models.Model):
    """Which event a story was shared at: private, for staff, and erased with the story (its record's deletion
    cascades here). The public report counts event stories by their channel only, never by event."""

    contribution = models.OneToOneField("moderation.Contribution", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(SharingEvent, on_delete=models.CASCADE, related_name="stories")

    def __str__(self):
        return f"Story shared at {self.event}"
