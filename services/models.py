"""Services named in stories, the people who respond for them, and their responses.

Everything here points at a story page (never at the contributor's private record), so erasing a story deletes its
links and responses with it (on_delete=CASCADE). A response reaches the public only after publication of the story
and a moderator's decision under the published policy; nothing here can change a story's status.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers
from wagtail.api import APIField

from moderation import policy
from stories.models import StoryPage


class Service(models.Model):
    """A service stories can be about: kept by staff in the admin (a snippet)."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community mental health")
        INPATIENT = "inpatient", _("Inpatient ward")
        CRISIS = "crisis", _("Crisis service")
        TALKING = "talking", _("Talking therapies")
        GP = "gp", _("GP practice")
        PEER = "peer", _("Peer support")
        VOLUNTARY = "voluntary", _("Voluntary sector")
        OTHER = "other", pgettext_lazy("kind of service", "Other")

    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160, unique=True, blank=True, help_text="Its address: /services/<slug>/.")
    organisation = models.CharField(max_length=160, blank=True, help_text="The trust, council or charity.")
    area = models.CharField(max_length=120, blank=True, help_text="Where it works, e.g. a town or county.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(blank=True)

    api_fields = [APIField(name) for name in ("name", "slug", "organisation", "area", "kind", "website")]

    class Meta:
        ordering = ["name"]
        permissions = [("view_commissioning", "Can see figures by service, area and period for commissioning")]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:160]
        super().save(*args, **kwargs)


class StoryService(models.Model):
    """A story is about a service. The contributor names it; a moderator may only propose it, and the link shows in
    public once the contributor has confirmed it."""

    wagtail_reference_index_ignore = True  # not content: nothing to list as a story's usage

    class Source(models.TextChoices):
        CONTRIBUTOR = "contributor", "Named by the contributor"
        MODERATOR = "moderator", "Proposed by a moderator"

    story = models.ForeignKey(StoryPage, on_delete=models.CASCADE, related_name="service_links")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="story_links")
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MODERATOR)
    confirmed = models.BooleanField(default=False, help_text="The contributor agreed the story is about this service.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "service"], name="one_link_per_story_and_service")]

    def __str__(self):
        return f"{self.service} ({self.get_source_display()})"

    def save(self, *args, **kwargs):
        if self.source == self.Source.CONTRIBUTOR:
            self.confirmed = True  # the contributor's own naming needs no second agreement
        super().save(*args, **kwargs)


class ServiceNamedInWords(models.Model):
    """A service the contributor named at /share/ in their own words, not found in the directory: a moderator finds
    it there on the review screen, and it becomes a link named by the contributor."""

    wagtail_reference_index_ignore = True  # not content: nothing to list as a story's usage

    story = models.ForeignKey(StoryPage, on_delete=models.CASCADE, related_name="services_named_in_words")
    words = models.CharField(max_length=160)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "services named in words"

    def __str__(self):
        return self.words


class ResponsePreference(models.Model):
    """The contributor's choice about responses to their story. No row: responses are welcome (the default)."""

    wagtail_reference_index_ignore = True  # not content: nothing to list as a story's usage

    story = models.OneToOneField(StoryPage, on_delete=models.CASCADE, related_name="response_preference")
    responses_allowed = models.BooleanField(default=True)

    def __str__(self):
        return "Responses welcome" if self.responses_allowed else "No responses, please"


class Responder(models.Model):
    """Someone from a service, invited by staff, who may read published stories about their service(s) and respond."""

    wagtail_reference_index_ignore = True  # not content: nothing to list as a story's usage

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responder")
    services = models.ManyToManyField(Service, related_name="responders")
    role = models.CharField(max_length=120, help_text='Shown with their responses, e.g. "Patient experience lead".')

    def __str__(self):
        return f"{self.role}, {', '.join(s.name for s in self.services.all())}"


class Response(models.Model):
    """A service's public response to a published story, shown once a moderator publishes it under the policy."""

    wagtail_reference_index_ignore = True  # not content: nothing to list as a story's usage

    class Kind(models.TextChoices):
        RESPONSE = "response", _("A response")
        CHANGE_PLANNED = "change_planned", _("A change is planned")
        CHANGE_MADE = "change_made", _("A change was made")

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a moderator"
        PUBLISHED = "published", "Published"
        DECLINED = "declined", "Not published"
        TAKEN_DOWN = "taken_down", "Taken down after publication"

    story = models.ForeignKey(StoryPage, on_delete=models.CASCADE, related_name="service_responses")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="responses")
    # Who wrote it stays private (the public sees the service and the role); gone with their account.
    responder = models.ForeignKey(Responder, null=True, on_delete=models.SET_NULL, related_name="responses")
    role = models.CharField(max_length=120)
    # The responder's own name, only when they chose to show it with this response; otherwise the role alone.
    name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.RESPONSE)
    body = models.TextField()
    change = models.CharField(max_length=300, blank=True, help_text="What changed, or will, in one sentence.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    # Why it was declined, or taken down after publication: a reason on the policy, and the moderator's note.
    decline_code = models.CharField(max_length=40, blank=True, choices=policy.choices(policy.ReasonKind.DECLINE))
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    # What the API (services/api.py) shows of a published response: what the public page shows, nothing private.
    api_fields = [
        APIField("story_id"),
        APIField("service", serializer=serializers.SlugRelatedField(slug_field="slug", read_only=True)),
        APIField("role"),
        APIField("name"),
        APIField("kind"),
        APIField("change"),
        APIField("body"),
        APIField("published_at"),
    ]

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("respond_to_stories", "Can respond to published stories about their services")]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.service.name}"

    @property
    def records_change(self) -> bool:
        return self.kind != self.Kind.RESPONSE


class ResponseReply(models.Model):
    """The contributor's reply to a published response, from their private page: published under the response once
    a moderator has checked it against the same policy. To a change, they may say whether it matches their
    experience."""

    class Experience(models.TextChoices):
        MATCHES = "matches", _("This matches my experience")
        PARTLY = "partly", _("This partly matches my experience")
        DOES_NOT = "does_not", _("This does not match my experience")

    wagtail_reference_index_ignore = True  # not content: nothing to list as a story's usage

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(blank=True)
    experience = models.CharField(max_length=12, choices=Experience.choices, blank=True)
    status = models.CharField(max_length=12, choices=Response.Status.choices, default=Response.Status.PENDING)
    decline_code = models.CharField(max_length=40, blank=True, choices=policy.choices(policy.ReasonKind.DECLINE))
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "response replies"

    def __str__(self):
        return f"Reply to {self.response}"
