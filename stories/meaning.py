"""What each published story means, as vectors: embedded once per change by a background task, kept while it is live.

- A story is cut into passages (paragraphs, then transcript lines, about CHUNK_CHARS each) embedded as e5 passages,
  for search; and embedded whole, also as an e5 passage, for stories like this and emerging themes (measured on five
  real corpora in bench/theme_methods.py, "passage:" whole-story vectors group by meaning better than "query:" ones on
  every one, and keep more Spanish paragraphs with their English theme).
- `embed_story` (a task, queued when a story is published or republished) stores the vectors, unless the story's
  text is unchanged since it was last embedded. Unpublishing a story deletes its vectors at once; erasing it deletes
  its page and the vectors with it (on_delete=CASCADE). The task's payload is the page id, never the text.
- `story_meaning_changed` is sent after a story's vectors are stored: other apps (emerging themes) listen to it.
- Stories like this one (stories/similar.py) and search by meaning (stories/search.py) read the stored vectors.
Nothing here is needed for the site to work: without the engine (stories/embeddings.py) stories are simply not
embedded, and search and story pages do without.
"""

import hashlib
import logging
import re
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.dispatch import Signal
from django_tasks import task

from . import embeddings
from .generation import invalidate
from .models import StoryPage, StoryVector

logger = logging.getLogger(__name__)

# About 200-250 tokens: e5 was trained on passages of that size, and a passage found by search is shown whole-ish.
CHUNK_CHARS = 1000
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")

story_meaning_changed = Signal()  # sent with story_id after a story's vectors are stored


@dataclass(frozen=True)
class Chunk:
    source: str  # StoryVector.Source
    first: int  # the paragraph or transcript line it starts at
    text: str


def _pieces(text: str) -> list[str]:
    """A paragraph longer than a chunk, cut at sentence ends (a sentence longer than a chunk stays whole)."""
    if len(text) <= CHUNK_CHARS:
        return [text]
    pieces, current = [], ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + 1 + len(sentence) > CHUNK_CHARS:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    return [*pieces, current] if current else pieces


def chunks(page: StoryPage) -> list[Chunk]:
    """The story's passages: consecutive paragraphs (then transcript lines) joined up to about CHUNK_CHARS."""
    result: list[Chunk] = []
    units = [(StoryVector.Source.BODY, index, text) for index, text in enumerate(page.paragraphs)]
    units += [
        (StoryVector.Source.TRANSCRIPT, index, segment.get("text", "")) for index, segment in enumerate(page.transcript)
    ]
    current: Chunk | None = None
    for source, index, text in units:
        for piece in _pieces(" ".join(text.split())):
            if not piece:
                continue
            if current and current.source == source and len(current.text) + 1 + len(piece) <= CHUNK_CHARS:
                current = Chunk(source, current.first, f"{current.text} {piece}")
                continue
            if current:
                result.append(current)
            current = Chunk(source, index, piece)
    if current:
        result.append(current)
    return result


def whole_text(page: StoryPage) -> str:
    """The story as one text, title first: what its whole-story vector is made from."""
    parts = [page.title, *page.paragraphs, page.transcript_text]
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


# Part of every digest: changing how a story is embedded (the whole story became an e5 "passage:" rather than a
# "query:") makes every stored vector out of date, so `manage.py embed_stories` embeds each story again.
EMBEDDING_FORM = "whole-as-passage"


def _digest(engine_name: str, whole: str, passages: list[Chunk]) -> str:
    digest = hashlib.sha256(f"{engine_name}|{EMBEDDING_FORM}".encode())
    for text in [whole, *(f"{chunk.source}:{chunk.first}:{chunk.text}" for chunk in passages)]:
        digest.update(b"\0" + text.encode())
    return digest.hexdigest()


def store_vectors(page: StoryPage) -> bool:
    """Embed a live story and store its vectors; False when its text is unchanged since it was last embedded.

    Raises embeddings.EmbeddingsUnavailable when there is no engine.
    """
    engine = embeddings.engine()
    passages = chunks(page)
    whole = whole_text(page)
    digest = _digest(engine.name, whole, passages)
    if StoryVector.objects.filter(story=page, kind=StoryVector.Kind.STORY, text_digest=digest).exists():
        return False
    # Embedding takes a while: done before the transaction, so the rows are replaced in one short write.
    story_vector = engine.embed([whole], "passage")[0]
    passage_vectors = engine.embed([chunk.text for chunk in passages], "passage") if passages else []
    rows = [
        StoryVector(
            story=page,
            kind=StoryVector.Kind.STORY,
            vector=embeddings.to_bytes(story_vector),
            text_digest=digest,
            engine=engine.name,
        )
    ]
    rows += [
        StoryVector(
            story=page,
            kind=StoryVector.Kind.PASSAGE,
            position=position,
            source=chunk.source,
            first=chunk.first,
            vector=embeddings.to_bytes(vector),
            text_digest=digest,
            engine=engine.name,
        )
        for position, (chunk, vector) in enumerate(zip(passages, passage_vectors, strict=True))
    ]
    with transaction.atomic():
        StoryVector.objects.filter(story=page).delete()
        StoryVector.objects.bulk_create(rows)
        # Pages showing stories like this one may now show it, and search can find it by meaning.
        invalidate()
        story_meaning_changed.send(sender=StoryPage, story_id=page.pk)
    return True


@task()
def embed_story(page_id: int) -> dict:
    """Embed one story if it is still live (it may have been withdrawn since it was queued)."""
    page = StoryPage.objects.live().filter(pk=page_id).first()
    if page is None:
        StoryVector.objects.filter(story_id=page_id).delete()
        return {"story": page_id, "embedded": False, "reason": "not live"}
    try:
        embedded = store_vectors(page)
    except embeddings.EmbeddingsUnavailable as error:
        return {"story": page_id, "embedded": False, "reason": str(error)}
    return {"story": page_id, "embedded": embedded}


def queue_embedding(instance, **kwargs) -> None:
    """page_published receiver (story pages): embed the story once the publication has committed."""
    transaction.on_commit(lambda: embed_story.enqueue(instance.pk))


def forget_vectors(instance, **kwargs) -> None:
    """page_unpublished receiver: an unpublished story (withdrawn, expired) is no longer found by meaning."""
    StoryVector.objects.filter(story_id=instance.pk).delete()


def story_vectors(story_ids: list[int]) -> dict[int, np.ndarray]:
    """The stored whole-story vectors of these stories (those not embedded yet are left out)."""
    rows = StoryVector.objects.filter(kind=StoryVector.Kind.STORY, story_id__in=story_ids)
    return {story_id: embeddings.from_bytes(data) for story_id, data in rows.values_list("story_id", "vector")}
