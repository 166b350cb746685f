"""Collections: stories gathered by moderators for a ward visit, a Recovery College course or a training day, in an
order they choose, with an introduction.

A collection keeps only which stories, in which order. Whether a story shows is read from the story itself every
time, never stored here: a story taken down (by staff or by its contributor), expired, or narrowed to researchers
only stops being live and public, and one narrowed to its transcript stops showing its media, so it leaves every
collection, its page and any new training pack at once, and comes back if it is put back. Only erasure removes a
story's place in a collection (the row goes with the page: on_delete=CASCADE).
"""

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.models import Orderable
from wagtail.tasks import update_reference_index_task

from base import task_payloads
from stories.models import StoryPage


class StoryCollection(ClusterableModel):
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True, help_text="Its address: /collections/<slug>/.")
    introduction = models.TextField(
        help_text="What the collection is for and how to use it: for a ward visit, a course or a training day."
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("introduction"),
        InlinePanel("items", label="Stories", heading="Stories, in the order they are shown"),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def public_stories(self):
        """The collection's stories that are public now (live, public pages), in the collection's order."""
        return (
            StoryPage.objects.live()
            .public()
            .filter(collection_items__collection=self)
            .select_related("media")
            .prefetch_related("content_notes")
            .order_by("collection_items__sort_order", "collection_items__pk")
        )


class CollectionStory(Orderable):
    collection = ParentalKey(StoryCollection, on_delete=models.CASCADE, related_name="items")
    story = models.ForeignKey(StoryPage, on_delete=models.CASCADE, related_name="collection_items")

    panels = [PageChooserPanel("story", page_type="stories.StoryPage")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["collection", "story"], name="curated_story_once_a_collection")]


def forget_reference_index_update(sender, instance: CollectionStory, **kwargs) -> None:
    """Drop a queued reference index update for a collection item that is gone (connected in CuratedConfig.ready)."""
    task_payloads.delete_waiting(
        update_reference_index_task, [instance._meta.app_label, instance._meta.model_name, str(instance.pk)]
    )
