"""How much lower e5 scores a search query against writing in another language: the measurement behind
stories/search.py's CROSS_LANGUAGE_MIN_SCORE.

    apt-get -o Acquire::Languages=en,es update     # Debian's package descriptions, in English and in Spanish
    .venv/bin/python bench/search_languages.py [--count 150]

Debian translates each package's one-line description and its long description. The one-line descriptions stand
in for search queries (a few words, written by people), in English and in Spanish; each package's English long
description stands in for a story's passage. Every query is scored (as /search/ scores: e5 "query:" against
"passage:") against its own package's text (related) and every other package's (unrelated), and the table shows,
for each bar, how many related texts an English and a Spanish query find and how often they match unrelated ones.
"""

import argparse
import os
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "voicebox.settings.dev")

from theme_methods import apt_file, records  # noqa: E402  (the Debian lists, read as the theme benchmark reads them)


def pairs(count: int) -> list[tuple[str, str, str]]:
    """(English one-line description, Spanish one-line description, English long description) of `count` packages."""
    descriptions: dict[str, dict[str, str]] = {}
    for language in ("en", "es"):
        for record in records(apt_file(f"*_debian_dists_*_main_i18n_Translation-{language}*")):
            if description := record.get(f"Description-{language}"):
                descriptions.setdefault(record["Package"], {})[language] = description
    names = sorted(name for name, by in descriptions.items() if len(by) == 2 and not name.startswith("lib"))
    random.Random(0).shuffle(names)
    chosen = []
    for name in names:
        english_line, _, english_long = descriptions[name]["en"].partition("\n")
        spanish_line = descriptions[name]["es"].partition("\n")[0]
        text = " ".join(line.strip() for line in english_long.split("\n") if line.strip() != ".")
        if len(text.split()) >= 40 and english_line.strip().lower() != spanish_line.strip().lower():
            chosen.append((english_line.strip(), spanish_line.strip(), text))
        if len(chosen) == count:
            break
    return chosen


def main(count: int) -> None:
    import django

    django.setup()
    from stories import embeddings
    from stories.search import CROSS_LANGUAGE_MIN_SCORE, MEANING_MIN_SCORE

    rows = pairs(count)
    texts = embeddings.embed([row[2] for row in rows], "passage")
    unrelated = ~np.eye(len(rows), dtype=bool)
    print(f"{len(rows)} packages: their one-line descriptions as queries, their English descriptions as passages")
    scores = {}
    for column, language in ((0, "English"), (1, "Spanish")):
        queries = embeddings.embed([row[column] for row in rows], "query")
        scores[language] = texts @ queries.T
        related, others = np.diag(scores[language]), scores[language][unrelated]
        print(
            f"  {language} queries: related {related.mean():.3f} ± {related.std():.3f}, unrelated {others.mean():.3f}"
        )
    gap = np.diag(scores["English"]) - np.diag(scores["Spanish"])
    print(
        f"  Spanish below English: related {gap.mean():.3f} ± {gap.std():.3f}, unrelated "
        f"{scores['English'][unrelated].mean() - scores['Spanish'][unrelated].mean():.3f}"
    )
    print("\n   bar   English: found  unrelated matched   Spanish: found  unrelated matched")
    for bar in (0.80, CROSS_LANGUAGE_MIN_SCORE, 0.81, MEANING_MIN_SCORE, 0.83):
        cells = []
        for language in ("English", "Spanish"):
            matrix = scores[language]
            cells.append(f"{(np.diag(matrix) >= bar).mean():>14.0%} {(matrix[unrelated] >= bar).mean():>18.1%}")
        print(f"  {bar:.3f} " + "   ".join(cells))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=150)
    main(parser.parse_args().count)
