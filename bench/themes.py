"""Time and peak memory of theme discovery on 1,000 and 10,000 stories (and more sizes if given).

    .venv/bin/python bench/themes.py [SIZE ...]

Each size runs in a fresh process, so its peak resident memory is its own. The stories come from the labelled sample
(research.sample_stories), in its proportions of themes and languages. Prints one line per size and the ratio of the
largest to the smallest: discovery is clustered in batches, so time should grow about linearly, not quadratically.
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SIZES = (1_000, 10_000)


def measure(size: int) -> dict:
    from research.discovery import Document, discover
    from research.sample_stories import many_stories

    documents = [
        Document(number, story.text, story.language, public=number % 3 != 0)
        for number, story in enumerate(many_stories(size))
    ]
    baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = discover(documents)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "stories": size,
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "peak_over_baseline_mib": round((peak_kib - baseline_kib) / 1024, 1),
        "themes": len(result.themes),
        "outliers": len(result.outlier_ids),
    }


def main(sizes: list[int]) -> None:
    rows = []
    for size in sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True, cwd=ROOT
        ).stdout
        row = json.loads(output.strip().splitlines()[-1])
        rows.append(row)
        print(
            f"{row['stories']:>7} stories: {row['seconds']:>7.2f} s, peak memory {row['peak_rss_mib']:>7.1f} MiB "
            f"({row['peak_over_baseline_mib']:.1f} MiB for discovery), {row['themes']} themes, "
            f"{row['outliers']} outliers",
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
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main([int(arg) for arg in sys.argv[1:]] or list(DEFAULT_SIZES))
