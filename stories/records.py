"""What is kept beside the published stories: readers' "I've experienced this too" counts, the generation of public
content, and what each story means as vectors.

These models sit below the pages (stories/models.py), for the modules the pages use (the page cache, stories like
this one); the rows that belong to a story name its page by label, "stories.StoryPage".
"""

from django.db import connection, models
from django.db.models import F


class ExperiencedTooCount(models.Model):
    """How many readers said "I've experienced this too" about a story: a bare number, nothing about who."""

    story = models.OneToOneField("stories.StoryPage", on_delete=models.CASCADE, primary_key=True, related_name="+")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "“I've experienced this too” count"

    def __str__(self):
        return f"{self.count} for story {self.story_id}"

    @classmethod
    def for_story(cls, story_id: int) -> int:
        # Read for every reader of a cached story page, so as plain SQL (the ORM would double its cost).
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count FROM {cls._meta.db_table} WHERE story_id = %s", [story_id])  # noqa: S608
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def add_one(cls, story_id: int) -> int:
        cls.objects.get_or_create(story_id=story_id)
        cls.objects.filter(story_id=story_id).update(count=F("count") + 1)
        return cls.for_story(story_id)


class PublicCacheGeneration(models.Model):
    """One row whose number goes up whenever public content changes.

    Cached public pages remember the generation they were rendered in and are stale once it moves on. It lives in
    the database, not the cache, so every process agrees at once: web workers with their own local-memory caches,
    and the task worker that unpublishes expired stories.
    """

    generation = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Public cache generation {self.generation}"


class StoryVector(models.Model):
    """What a published story means, as numbers (stories/embeddings.py): never its words.

    A story has one `story` row, the whole story embedded as e5 compares texts as equals (for stories like this and
    emerging themes), and one `passage` row per chunk of its text or transcript, embedded as e5 passages to be found
    (for search). Rows exist only while the story is live: they are deleted when it is unpublished, and go with the
    page when it is erased. Vectors are little-endian float32 bytes, the same on SQLite and PostgreSQL.
    """

    class Kind(models.TextChoices):
        STORY = "story", "Whole story"
        PASSAGE = "passage", "Passage"

    class Source(models.TextChoices):
        BODY = "body", "Written text"
        TRANSCRIPT = "transcript", "Transcript"

    story = models.ForeignKey("stories.StoryPage", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    # Where a passage starts: a paragraph or a transcript line (its words are read from the story when shown).
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.BODY)
    first = models.PositiveIntegerField(default=0)
    vector = models.BinaryField()
    # The digest of the text the story's vectors were made from: a story whose text is unchanged is not embedded again.
    text_digest = models.CharField(max_length=64)
    engine = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "kind", "position"], name="one_vector_per_place")]
        indexes = [models.Index(fields=["kind", "story"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position} of story {self.story_id}"
