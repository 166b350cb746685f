"""Compare ways of finding themes on the labelled sample stories: the measurement behind research/discovery.py.

    .venv/bin/python bench/theme_methods.py [SETS]

For SETS labelled sets (default 12, seeds 1..SETS; each has 84 stories: six ordinary themes, a small theme of four
stories, two themes also told in Spanish, three stories that fit no theme), prints per method the adjusted mutual
information with the labels (a theme told in another language counted as its own theme, and, in brackets, counted as
the same theme), how often the small theme survived on its own, and how many of the three unthemed stories were
left out of every theme. NMF, LDA and k-means are given the true number of themes, which real use never knows.
"""

import sys
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.cluster import HDBSCAN, KMeans
from sklearn.decomposition import NMF, LatentDirichletAllocation, TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import adjusted_mutual_info_score
from sklearn.preprocessing import normalize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from research.discovery import TOKEN_PATTERN, Document, discover, stop_words_for  # noqa: E402
from research.sample_stories import LABELLED_SIZES, NO_THEME, labelled_stories  # noqa: E402

SMALL_THEME = "deaf_access"
THEME_COUNT = len(LABELLED_SIZES)


def _tfidf(texts, stop_words):
    vectorizer = TfidfVectorizer(
        stop_words=stop_words, token_pattern=TOKEN_PATTERN, min_df=2, max_df=0.5, sublinear_tf=True
    )
    return vectorizer.fit_transform(texts)


def _lsa(texts, stop_words):
    tfidf = _tfidf(texts, stop_words)
    return normalize(TruncatedSVD(n_components=min(100, tfidf.shape[1] - 1), random_state=0).fit_transform(tfidf))


def _chosen(texts, languages, stop_words):
    documents = [Document(i, text, language) for i, (text, language) in enumerate(zip(texts, languages, strict=True))]
    labels = np.full(len(texts), -1)
    for number, theme in enumerate(discover(documents).themes):
        labels[list(theme.story_ids)] = number
    return labels


def _nmf(texts, languages, stop_words):
    nmf = NMF(n_components=THEME_COUNT, init="nndsvda", random_state=0, max_iter=500)
    return nmf.fit_transform(_tfidf(texts, stop_words)).argmax(axis=1)


def _lda(texts, languages, stop_words):
    counts = CountVectorizer(stop_words=stop_words, token_pattern=TOKEN_PATTERN, min_df=2, max_df=0.5)
    lda = LatentDirichletAllocation(n_components=THEME_COUNT, random_state=0, max_iter=50)
    return lda.fit_transform(counts.fit_transform(texts)).argmax(axis=1)


def _kmeans(texts, languages, stop_words):
    return KMeans(THEME_COUNT, random_state=0, n_init=10).fit_predict(_lsa(texts, stop_words))


def _hdbscan(selection):
    def method(texts, languages, stop_words):
        clusterer = HDBSCAN(min_cluster_size=3, min_samples=2, cluster_selection_method=selection)
        return clusterer.fit_predict(_lsa(texts, stop_words))

    return method


METHODS = {
    "TF-IDF + LSA + agglomerative, cut at 0.8 (chosen)": _chosen,
    "TF-IDF + NMF (k given)": _nmf,
    "Counts + LDA (k given)": _lda,
    "TF-IDF + LSA + k-means (k given)": _kmeans,
    "TF-IDF + LSA + HDBSCAN (min size 3, eom)": _hdbscan("eom"),
    "TF-IDF + LSA + HDBSCAN (min size 3, leaf)": _hdbscan("leaf"),
}


def _score(stories, labels) -> tuple[float, float, bool, int]:
    predicted = [f"theme {label}" if label >= 0 else f"outlier {i}" for i, label in enumerate(labels)]
    by_language = [f"none {i}" if s.theme == NO_THEME else f"{s.theme}/{s.language}" for i, s in enumerate(stories)]
    across = [f"none {i}" if s.theme == NO_THEME else s.theme for i, s in enumerate(stories)]
    small = [i for i, story in enumerate(stories) if story.theme == SMALL_THEME]
    label, count = Counter(labels[i] for i in small).most_common(1)[0]
    members = np.flatnonzero(labels == label)
    survived = label >= 0 and count >= 3 and all(stories[i].theme == SMALL_THEME for i in members)
    unthemed_left_out = sum(1 for i, story in enumerate(stories) if story.theme == NO_THEME and labels[i] < 0)
    return (
        adjusted_mutual_info_score(by_language, predicted),
        adjusted_mutual_info_score(across, predicted),
        survived,
        unthemed_left_out,
    )


def main(sets: int) -> None:
    warnings.filterwarnings("ignore", category=FutureWarning)
    scores = {name: [] for name in METHODS}
    for seed in range(1, sets + 1):
        stories = labelled_stories(seed)
        texts, languages = [s.text for s in stories], [s.language for s in stories]
        stop_words = stop_words_for(languages)
        for name, method in METHODS.items():
            scores[name].append(_score(stories, np.asarray(method(texts, languages, stop_words))))
    print(f"{sets} labelled sets of {len(stories)} stories")
    print(f"{'method':<52} {'AMI mean (across languages)':>29} {'AMI lowest':>11} {'small theme':>12} {'unthemed':>9}")
    for name, rows in scores.items():
        ami, ami_across = np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
        print(
            f"{name:<52} {ami.mean():>16.3f} ({ami_across.mean():.3f}) {ami.min():>18.3f} "
            f"{sum(r[2] for r in rows):>8}/{sets} {np.mean([r[3] for r in rows]):>7.1f}/3"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12)
