"""Stories like this one: the published stories closest in meaning to a story, in any language, for its page.

It reads only stored vectors (stories/meaning.py makes them) through the vector index, and chooses among the
stories it is given, so a page can ask it without anything here knowing the pages.
"""

from .vector_index import vector_index

SIMILAR_STORIES = 3
# Stories less alike than this are not offered as "like this", however few remain: the cosine of whole-story vectors
# with each language's mean removed. On the labelled real writing of bench/theme_methods.py, half the pairs of
# paragraphs on one theme are this alike, and 8% of pairs on different themes.
SIMILAR_MIN_SIMILARITY = 0.1


def similar_stories(page, stories) -> list:
    """Up to SIMILAR_STORIES of `stories` (a queryset the reader may see) closest in meaning to `page`."""
    nearest = vector_index().alike(page.pk, limit=SIMILAR_STORIES * 8, min_similarity=SIMILAR_MIN_SIMILARITY)
    candidates = [hit.story_id for hit in nearest]
    found = {story.pk: story for story in stories.filter(pk__in=candidates)}
    return [found[story_id] for story_id in candidates if story_id in found][:SIMILAR_STORIES]
