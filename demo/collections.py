"""The demo's collection: demo stories gathered for a Recovery College session, so a new installation shows a
collection, its embed and its training pack."""

from django.db import transaction

from curated.models import CollectionStory, StoryCollection
from stories.models import StoryPage

COLLECTION = {
    "slug": "being-listened-to",
    "title": "Being listened to",
    "introduction": (
        "Stories for a Recovery College session on what it is like to be listened to, or not, in mental health "
        "services. Each is a real kind of experience, told in the person's own words (these are demo stories).\n\n"
        "Read or listen to one or two together, then talk about what would have helped."
    ),
}
STORY_SLUGS = ["nobody-asked-what-i-wanted", "i-dont-do-recovery", "reading-aloud-at-night", "looking-after-dad"]


@transaction.atomic
def ensure_demo_collection() -> StoryCollection:
    """Create the collection once, with the demo stories there are; a collection staff have since changed is kept."""
    collection, created = StoryCollection.objects.get_or_create(slug=COLLECTION["slug"], defaults=COLLECTION)
    if created:
        stories = {story.slug: story for story in StoryPage.objects.filter(slug__in=STORY_SLUGS)}
        present = [stories[slug] for slug in STORY_SLUGS if slug in stories]
        for order, story in enumerate(present):
            CollectionStory.objects.create(collection=collection, story=story, sort_order=order)
    return collection
