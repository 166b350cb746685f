"""Embedding throughput, and time and peak memory of theme discovery on 1,000 and 10,000 stories once embedded.

    .venv/bin/python bench/themes.py [--embed N] [SIZE ...]

1. Embedding: N stories (default 200, from research.sample_stories, story-length text) embedded the way publishing
   embeds them (stories/meaning.py: the whole story, then its passages), on one core; prints stories per second.
   Their whole-story vectors are kept for step 2.
2. Discovery: each size runs in a fresh process, so its peak resident memory is its own: `discover()` over SIZE
   stories with their vectors given, as a run over stored vectors does (TF-IDF and LSA for the words describing each
   theme included). Only N stories were embedded: story i is given the vector of story i mod N, plus a little
   noise so no two are identical (clustering then has as many distinct points as stories). Targets at 10,000:
   ≤ 2 minutes and ≤ 500 MB.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "voicebox.settings.dev")
os.environ["EMBEDDINGS_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

DEFAULT_SIZES = (1_000, 10_000)
NOISE = 0.02  # per coordinate, against unit vectors whose coordinates are about 0.05: neighbours stay neighbours


def embed(count: int, vectors_path: Path) -> dict:
    import django

    django.setup()
    from research.sample_stories import many_stories
    from stories import embeddings
    from stories.meaning import chunks, whole_text

    stories = many_stories(count)
    # What chunking reads of a story page, without a database to make pages in.
    pages = [
        SimpleNamespace(title=f"Story {n}", paragraphs=story.text.split("\n\n"), transcript=[], transcript_text="")
        for n, story in enumerate(stories)
    ]
    engine = embeddings.engine()
    started = time.perf_counter()
    whole, passages = [], 0
    for page in pages:  # as stories.meaning.store_vectors does for each story
        whole.append(engine.embed([whole_text(page)], "passage")[0])
        pieces = [chunk.text for chunk in chunks(page)]
        engine.embed(pieces, "passage")
        passages += len(pieces)
    seconds = time.perf_counter() - started
    import numpy as np

    np.save(vectors_path, np.array(whole))
    words = sum(len(story.text.split()) for story in stories) / count
    return {"stories": count, "seconds": seconds, "passages": passages, "words": words}


def measure(size: int, vectors_path: Path) -> dict:
    import django
    import numpy as np

    django.setup()
    from research.discovery import Document, discover
    from research.sample_stories import many_stories

    sample = np.load(vectors_path)
    rng = np.random.default_rng(0)
    vectors = sample[np.arange(size) % len(sample)] + rng.normal(0, NOISE, (size, sample.shape[1])).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    documents = [
        Document(number, story.text, story.language, public=number % 3 != 0, vector=vectors[number])
        for number, story in enumerate(many_stories(size))
    ]
    baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = discover(documents)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "stories": size,
        "method": result.method,
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "peak_over_baseline_mib": round((peak_kib - baseline_kib) / 1024, 1),
        "themes": len(result.themes),
        "outliers": len(result.outlier_ids),
    }


def run_child(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(embed_count: int, sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        vectors_path = Path(directory) / "vectors.npy"
        row = run_child("--embed-one", str(embed_count), str(vectors_path))
        print(
            f"embedding, one core: {row['stories']} stories of {row['words']:.0f} words ({row['passages']} passages) "
            f"in {row['seconds']:.1f} s: {row['stories'] / row['seconds']:.2f} stories/s",
            flush=True,
        )
        rows = []
        for size in sizes:
            row = run_child("--one", str(size), str(vectors_path))
            rows.append(row)
            print(
                f"{row['stories']:>7} stories ({row['method']}): {row['seconds']:>7.2f} s, peak memory "
                f"{row['peak_rss_mib']:>7.1f} MiB ({row['peak_over_baseline_mib']:.1f} MiB for discovery), "
                f"{row['themes']} themes, {row['outliers']} outliers",
                flush=True,
            )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        growth = last["stories"] // first["stories"]
        print(
            f"{growth}x the stories took {last['seconds'] / first['seconds']:.1f}x the time "
            f"and {last['peak_rss_mib'] / first['peak_rss_mib']:.1f}x the peak memory."
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]), Path(sys.argv[3]))))
    elif sys.argv[1:2] == ["--embed-one"]:
        print(json.dumps(embed(int(sys.argv[2]), Path(sys.argv[3]))))
    else:
        arguments = sys.argv[1:]
        count = 200
        if arguments[:1] == ["--embed"]:
            count, arguments = int(arguments[1]), arguments[2:]
        main(count, [int(arg) for arg in arguments] or list(DEFAULT_SIZES))
