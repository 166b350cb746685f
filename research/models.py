"""Emerging themes found in the stories' own words, and the record of research exports.

Quotes and memberships point at story pages, so erasing a story (deleting its page) removes them with it. Export
records keep only the story's number (`story_ref`), which outlives erasure so its exporters can be told to delete it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from moderation import policy


def hide_reason_choices() -> list[tuple[str, str]]:
    """A theme is hidden only for a reason on the published policy's decline or edit lists."""
    return policy.choices(policy.ReasonKind.DECLINE) + policy.choices(policy.ReasonKind.EDIT)


class DiscoveryRun(models.Model):
    """One run of theme discovery over the stories: what went in, what came out, how long it took."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    story_count = models.PositiveIntegerField(default=0)
    theme_count = models.PositiveIntegerField(default=0)
    outlier_count = models.PositiveIntegerField(default=0)
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = ["started_at", "pk"]

    def __str__(self):
        return f"Discovery run {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class EmergingThemeQuerySet(models.QuerySet):
    def current(self):
        """Themes found by the latest run and not merged into another."""
        return self.filter(is_current=True, merged_into__isnull=True)

    def shown_publicly(self):
        return self.current().filter(hidden=False, public_story_count__gt=0)


class EmergingTheme(models.Model):
    """A group of stories that say alike things, found by discovery and named by peer moderators.

    Themes are never deleted: a peer can hide one, for a reason on the policy list, and the report counts it.
    """

    name = models.CharField(max_length=80, blank=True, help_text="A short name in plain words.")
    description = models.TextField(blank=True, help_text="A sentence or two about what these stories share.")
    curated_themes = models.ManyToManyField(
        "stories.Theme",
        blank=True,
        related_name="emerging_themes",
        help_text="Curated themes this emerging theme belongs with.",
    )
    terms = models.JSONField(default=list, blank=True, help_text="Characteristic phrases and words, from all stories.")
    public_terms = models.JSONField(default=list, blank=True, help_text="The same, from published stories only.")
    story_count = models.PositiveIntegerField(default=0)
    public_story_count = models.PositiveIntegerField(default=0)
    is_current = models.BooleanField(default=True, help_text="Found by the latest discovery run.")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from", editable=False
    )
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="split_into", editable=False
    )
    hidden = models.BooleanField(default=False, help_text="Hidden themes are not shown on the public pages.")
    hidden_reason_code = models.CharField(max_length=40, blank=True, choices=hide_reason_choices)
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    first_found_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmergingThemeQuerySet.as_manager()

    class Meta:
        ordering = ["-story_count", "pk"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.terms:
            return "Not yet named: " + ", ".join(self.terms[:3])
        return f"Not yet named (theme {self.pk})"

    @property
    def public_display_name(self) -> str:
        """What the public sees: the peers' name, or words from published stories only."""
        if self.name:
            return self.name
        return ", ".join(self.public_terms[:3]) or gettext("A theme not yet named")

    @property
    def hidden_reason(self) -> str:
        return dict(hide_reason_choices()).get(self.hidden_reason_code, "")


class ThemeMembership(models.Model):
    """A story's place in one emerging theme. Peers' placements (by merging or splitting) survive later runs."""

    theme = models.ForeignKey(EmergingTheme, on_delete=models.CASCADE, related_name="memberships")
    story = models.OneToOneField(
        "stories.StoryPage", on_delete=models.CASCADE, related_name="emerging_theme_membership"
    )
    rank = models.PositiveIntegerField(default=0, help_text="0 is the story most typical of the theme.")
    placed_by_peer = models.BooleanField(default=False)

    class Meta:
        ordering = ["theme", "rank", "pk"]

    def __str__(self):
        return f"Story {self.story_id} in theme {self.theme_id}"


class UnthemedStory(models.Model):
    """A story the latest run found fits no theme: shown as such rather than forced into one."""

    story = models.OneToOneField("stories.StoryPage", on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(DiscoveryRun, on_delete=models.CASCADE, related_name="unthemed")

    class Meta:
        verbose_name_plural = "unthemed stories"

    def __str__(self):
        return f"Story {self.story_id} (fits no theme)"


class ThemeQuote(models.Model):
    """A short passage from a published story that shows what a theme is about."""

    theme = models.ForeignKey(EmergingTheme, on_delete=models.CASCADE, related_name="quotes")
    story = models.ForeignKey("stories.StoryPage", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme", "position"]

    def __str__(self):
        return f"Quote {self.position} of theme {self.theme_id}"


class ThemeSize(models.Model):
    """How many stories a theme had after one run: the points of its growth chart."""

    theme = models.ForeignKey(EmergingTheme, on_delete=models.CASCADE, related_name="sizes")
    run = models.ForeignKey(DiscoveryRun, on_delete=models.CASCADE, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    story_count = models.PositiveIntegerField()
    public_story_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["theme", "recorded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["theme", "run"], name="one_size_per_theme_per_run")]

    def __str__(self):
        return f"Theme {self.theme_id}: {self.story_count} stories at {self.recorded_at:%Y-%m-%d}"


class ResearchExport(models.Model):
    """Who exported which stories, when, and in what format. Kept so exporters can be told of withdrawals."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="research_exports"
    )
    exported_at = models.DateTimeField(default=timezone.now, db_index=True)
    format = models.CharField(max_length=8, choices=Format.choices)
    story_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-exported_at", "-pk"]
        permissions = [("explore_research_stories", "Can explore and export stories consented for research")]

    def __str__(self):
        return f"Research export {self.pk} ({self.story_count} stories, {self.exported_at:%Y-%m-%d})"


class ResearchExportItem(models.Model):
    """One story in one export. `story_ref` is a plain number: it outlives the story's erasure."""

    export = models.ForeignKey(ResearchExport, on_delete=models.CASCADE, related_name="items")
    story_ref = models.PositiveBigIntegerField(db_index=True)
    withdrawal_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["export", "story_ref"], name="one_item_per_story_per_export")]

    def __str__(self):
        return f"Story {self.story_ref} in export {self.export_id}"
