"""Stories like this one: the published stories closest in meaning to a story, in any language, for its page.

It reads only stored vectors (stories/meaning.py makes them) through the vector index, and chooses among the
stories it is given, so a page can ask it without anything here knowing the pages.
"""

from .records import StoryVector
from .vector_index import vector_index

SIMILAR_STORIES = 3
# Stories less alike than this (cosine of whole-story vectors) are not offered as "like this", however few remain.
SIMILAR_MIN_SCORE = 0.80


def similar_stories(page, stories) -> list:
    """Up to SIMILAR_STORIES of `stories` (a queryset the reader may see) closest in meaning to `page`."""
    index = vector_index()
    own = index.vector_of(StoryVector.Kind.STORY, page.pk)
    if own is None:
        return []
    nearest = index.nearest(StoryVector.Kind.STORY, own, limit=SIMILAR_STORIES * 8, min_score=SIMILAR_MIN_SCORE)
    candidates = [hit.story_id for hit in nearest if hit.story_id != page.pk]
    found = {story.pk: story for story in stories.filter(pk__in=candidates)}
    return [found[story_id] for story_id in candidates if story_id in found][:SIMILAR_STORIES]
