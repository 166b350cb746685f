"""Theme discovery: group stories by what they mean, across languages, without deciding the themes in advance.

Method "meaning" (chosen by measurement on real, labelled writing; see `bench/theme_methods.py`):
1. each story's whole-story vector (stories/embeddings.py, multilingual-e5-small, as stored by stories/meaning.py
   or embedded now when missing);
2. each language's mean vector removed from its stories (then the vectors normalised again): what is left is what
   a story says rather than which language it says it in, so a story told in Spanish joins its English theme;
3. average-linkage agglomerative clustering on cosine distance, cut where a group's stories are on average no more
   alike than the collection's stories are to each other plus `meaning_cut_deviations` standard deviations (of the
   pairwise similarities of these centred vectors). The cut follows the collection: longer stories, or stories of
   one field, are all more alike and spread differently, and a fixed distance would then join their themes. No
   number of themes is fixed in advance, so a small theme is never folded into a big one just to reach a count;
   groups of fewer than three stories are not themes, and their stories are outliers.
If the embedding engine cannot load, discovery falls back to method "words" and says so (`DiscoveryResult.note`):
TF-IDF (stop words of every language present removed, sublinear counts), LSA to at most 200 dimensions, and the same
clustering cut at `distance_threshold`. Either way a theme is described by its characteristic phrases and words
(TF-IDF) and quoted from its public stories.
Large collections are clustered in seeded batches: each batch first joins stories to the themes found so far (by
the same average-similarity rule), then clusters what is left together with earlier outliers. Memory stays bounded
by the batch size, and a small theme whose stories arrive in different batches still forms.
"""

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize
from stop_words import LANGUAGE_MAPPING, get_stop_words

from stories import embeddings

# Words of two letters or more, in any alphabet; numbers (ages, years, doses) say little about a theme, and the
# pieces of contractions ("couldn", "t") are not words.
TOKEN_PATTERN = r"(?u)(?<!['’])\b[^\W\d_]{2,}\b(?!['’])"  # noqa: S105 (a regular expression, not a password)
# Words with their contractions whole ("didn't"), so a phrase never skips over one: "mum didn't understand" has none.
WORD = re.compile(r"(?u)[^\W\d_]+(?:['’][^\W\d_]+)*")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Two quotes of one theme more alike than this (cosine) say the same thing; the second is skipped.
QUOTE_MAX_SIMILARITY = 0.6
# Groups stop merging when their average similarity (cosine, of language-centred e5 vectors) is below the mean
# pairwise similarity of the collection plus this many standard deviations. Measured in bench/theme_methods.py: on
# the corpora the old fixed cut (distance 0.95) was chosen on, 0.75 gives the same themes; on corpora held out
# from that choice (the Debian handbook's sections, its paragraphs joined to 120-300 words, fortunes) it keeps more
# themes, and more small ones, at equal or better AMI.
MEANING_CUT_DEVIATIONS = 0.75
# The spread of similarities is measured on at most this many stories (a seeded sample): 16 MB of similarities.
SPREAD_SAMPLE = 2000
# Phrases never run across punctuation: "emociones. Dejar" is not a phrase.
CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\"“”…–—]+")


@dataclass(frozen=True)
class Document:
    story_id: int
    text: str
    language: str = "en"
    # Published for everyone with the contributor's consent: only these are quoted, and public terms come from these.
    public: bool = False
    # The story's whole-story vector when it is stored already; embedded during discovery otherwise.
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Quote:
    story_id: int
    text: str


@dataclass(frozen=True)
class DiscoveredTheme:
    terms: tuple[str, ...]  # characteristic phrases, then words, from all its stories
    public_terms: tuple[str, ...]  # the same, from its public stories only (what public pages may show)
    story_ids: tuple[int, ...]  # the most typical story first
    quotes: tuple[Quote, ...]  # short passages from its public stories only


@dataclass(frozen=True)
class DiscoveryParameters:
    method: str = "meaning"  # or "words" (TF-IDF): what discovery falls back to without the embedding engine
    meaning_cut_deviations: float = MEANING_CUT_DEVIATIONS
    meaning_distance_threshold: float | None = None  # a fixed cut (cosine distance) instead, when given
    distance_threshold: float = 0.8  # the same for "words", on LSA vectors
    min_theme_size: int = 3
    lsa_dimensions: int = 200
    batch_size: int = 2000
    seed: int = 0
    term_count: int = 8
    quote_count: int = 3
    quote_length: tuple[int, int] = (30, 240)


@dataclass(frozen=True)
class DiscoveryResult:
    themes: tuple[DiscoveredTheme, ...]  # largest first
    outlier_ids: tuple[int, ...]  # stories that fit no theme
    parameters: DiscoveryParameters = field(default_factory=DiscoveryParameters)
    note: str = ""  # why discovery fell back to words, when it did
    cut: float | None = None  # the cosine distance at which groups stopped merging in this run

    @property
    def method(self) -> str:
        if self.parameters.method == "meaning":
            return "e5-language-centred-agglomerative"
        return "tfidf-lsa-agglomerative"

    def parameters_dict(self) -> dict:
        return {**asdict(self.parameters), "method": self.method, "note": self.note, "cut": self.cut}


def stop_words_for(languages: Sequence[str]) -> list[str]:
    """English stop words (scikit-learn's short list, which keeps words like "work" and "help") and those of every
    other language present that the stop-words package knows."""
    words = set(ENGLISH_STOP_WORDS)
    for language in {code.split("-")[0].lower() for code in languages}:
        if language != "en" and language in LANGUAGE_MAPPING:
            words.update(get_stop_words(language))
    return sorted(words)


def discover(documents: Sequence[Document], parameters: DiscoveryParameters | None = None) -> DiscoveryResult:
    """Group the documents into emerging themes; documents that fit no theme are returned as outliers."""
    parameters = parameters or DiscoveryParameters()
    note = ""
    meaning = None
    if parameters.method == "meaning":
        try:
            meaning = embeddings.centred_by_language(
                _story_vectors(documents), [document.language for document in documents]
            )
        except embeddings.EmbeddingsUnavailable as error:
            note = f"Discovery by meaning is unavailable ({error}); themes were found by words instead."
            parameters = replace(parameters, method="words")
    all_ids = tuple(document.story_id for document in documents)
    if len(documents) < parameters.min_theme_size:
        return DiscoveryResult((), all_ids, parameters, note)
    stop_words = stop_words_for([document.language for document in documents])
    vectorizer = TfidfVectorizer(
        stop_words=stop_words, token_pattern=TOKEN_PATTERN, min_df=2, max_df=0.5, sublinear_tf=True
    )
    try:
        tfidf = vectorizer.fit_transform([document.text for document in documents])
    except ValueError:  # no word occurs in two stories: nothing is shared, so nothing is a theme
        return DiscoveryResult((), all_ids, parameters, note)
    dimensions = min(parameters.lsa_dimensions, tfidf.shape[0] - 1, tfidf.shape[1] - 1)
    svd = TruncatedSVD(n_components=dimensions, random_state=parameters.seed) if dimensions >= 2 else None
    vectors = normalize(svd.fit_transform(tfidf) if svd else tfidf.toarray())

    if meaning is not None:
        cut = parameters.meaning_distance_threshold
        if cut is None:
            cut = relative_cut(meaning, parameters.meaning_cut_deviations, parameters.seed)
    else:
        cut = parameters.distance_threshold
    groups, outliers = _cluster(meaning if meaning is not None else vectors, cut, parameters)
    phrases = _phrase_counts(documents, stop_words)
    themes = []
    for members in groups:
        # The most typical story first: closest to the theme's centre in the space it was found in.
        space = meaning if meaning is not None else vectors
        members = members[np.argsort(-(space[members] @ space[members].mean(axis=0)), kind="stable")]
        centroid = vectors[members].mean(axis=0)
        public_members = np.array([index for index in members if documents[index].public], dtype=int)
        themes.append(
            DiscoveredTheme(
                terms=_characteristic_terms(members, tfidf, vectorizer, phrases, parameters.term_count),
                public_terms=_characteristic_terms(public_members, tfidf, vectorizer, phrases, parameters.term_count),
                story_ids=tuple(documents[index].story_id for index in members),
                quotes=_quotes(public_members, documents, centroid, vectorizer, svd, parameters),
            )
        )
    themes.sort(key=lambda theme: -len(theme.story_ids))
    outlier_ids = tuple(documents[index].story_id for index in sorted(outliers))
    return DiscoveryResult(tuple(themes), outlier_ids, parameters, note, round(float(cut), 4))


def relative_cut(vectors: np.ndarray, deviations: float, seed: int = 0) -> float:
    """The cosine distance at which groups stop merging: 1 - (mean + `deviations` standard deviations) of the
    similarities between different stories (on a seeded sample of at most SPREAD_SAMPLE of them)."""
    if len(vectors) > SPREAD_SAMPLE:
        vectors = vectors[np.random.default_rng(seed).choice(len(vectors), SPREAD_SAMPLE, replace=False)]
    if len(vectors) < 2:
        return 1.0
    similarity = (vectors @ vectors.T)[~np.eye(len(vectors), dtype=bool)]
    return float(np.clip(1.0 - (similarity.mean() + deviations * similarity.std()), 0.0, 2.0))


def _story_vectors(documents: Sequence[Document]) -> np.ndarray:
    """Each document's whole-story vector: the stored one, or embedded now (as an e5 passage, as stories/meaning.py
    stores them)."""
    missing = [index for index, document in enumerate(documents) if document.vector is None]
    fresh = embeddings.embed([documents[index].text for index in missing], "passage")
    vectors = np.zeros((len(documents), embeddings.DIMENSIONS), dtype=np.float32)
    vectors[missing] = fresh
    for index, document in enumerate(documents):
        if document.vector is not None:
            vectors[index] = document.vector
    return vectors


def _agglomerate(vectors: np.ndarray, threshold: float, parameters: DiscoveryParameters) -> list[np.ndarray]:
    """Positions (into `vectors`) of each group of at least `min_theme_size` alike stories."""
    # A story sharing no word with any other has no direction at all: it is an outlier, not a clustering error.
    present = np.flatnonzero(np.linalg.norm(vectors, axis=1) > 0)
    if len(present) < parameters.min_theme_size:
        return []
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    ).fit_predict(vectors[present])
    groups = [present[labels == label] for label in np.unique(labels)]
    return [group for group in groups if len(group) >= parameters.min_theme_size]


def _cluster(
    vectors: np.ndarray, threshold: float, parameters: DiscoveryParameters
) -> tuple[list[np.ndarray], list[int]]:
    """Themes (arrays of document positions) and outlier positions, batch by batch in a seeded order."""
    order = np.random.default_rng(parameters.seed).permutation(len(vectors))
    min_similarity = 1.0 - threshold
    members: list[list[int]] = []
    sums: list[np.ndarray] = []  # each theme's sum of member vectors: sum @ v / n is v's average similarity to it
    outliers: list[int] = []
    for start in range(0, len(order), parameters.batch_size):
        batch = order[start : start + parameters.batch_size]
        unjoined = list(batch)
        if members:
            similarity = vectors[batch] @ np.array(sums).T / np.array([len(group) for group in members])
            best = similarity.argmax(axis=1)
            unjoined = []
            for row, index in enumerate(batch):
                if similarity[row, best[row]] >= min_similarity:
                    members[best[row]].append(int(index))
                    sums[best[row]] += vectors[index]
                else:
                    unjoined.append(int(index))
        # Earlier outliers get another chance with this batch; the oldest are let go if they would outgrow a batch.
        candidates = np.array((outliers + unjoined)[-parameters.batch_size :], dtype=int)
        outliers = [int(index) for index in outliers[: max(0, len(outliers) + len(unjoined) - len(candidates))]]
        grouped = np.zeros(len(candidates), dtype=bool)
        for group in _agglomerate(vectors[candidates], threshold, parameters):
            grouped[group] = True
            members.append([int(index) for index in candidates[group]])
            sums.append(vectors[candidates[group]].sum(axis=0))
        outliers += [int(index) for index in candidates[~grouped]]
    return [np.array(group, dtype=int) for group in members], outliers


@dataclass(frozen=True)
class _PhraseCounts:
    vocabulary: np.ndarray  # two-word phrases without stop words
    presence: object  # documents × phrases, 1 where the phrase occurs (sparse)


def _phrase_counts(documents: Sequence[Document], stop_words: Sequence[str]) -> _PhraseCounts | None:
    stop = frozenset(stop_words)

    def two_word_phrases(text: str) -> list[str]:
        # Adjacent words within one clause, neither a stop word: "hearing voices", "apoyo mutuo".
        phrases = []
        for clause in CLAUSE_BREAK.split(text.lower()):
            words = WORD.findall(clause)
            phrases += [
                f"{first} {second}"
                for first, second in zip(words, words[1:], strict=False)
                if _phrase_word(first, stop) and _phrase_word(second, stop)
            ]
        return phrases

    counter = CountVectorizer(analyzer=two_word_phrases, min_df=2, binary=True)
    try:
        presence = counter.fit_transform([document.text for document in documents]).tocsc()
    except ValueError:
        return None
    return _PhraseCounts(counter.get_feature_names_out(), presence)


def _phrase_word(word: str, stop: frozenset[str]) -> bool:
    return len(word) > 1 and word not in stop and "'" not in word and "’" not in word


def _characteristic_terms(
    members: np.ndarray,
    tfidf,
    vectorizer: TfidfVectorizer,
    phrases: _PhraseCounts | None,
    count: int,
) -> tuple[str, ...]:
    """Up to `count` phrases and words that set these stories apart: phrases shared by at least a third of them
    (and mostly found in them), then the words weighing most in them compared with all stories."""
    if len(members) == 0:
        return ()
    chosen: list[str] = []
    if phrases is not None and phrases.vocabulary.size:
        inside = np.asarray(phrases.presence[members].sum(axis=0)).ravel()
        overall = np.asarray(phrases.presence.sum(axis=0)).ravel()
        share = inside / np.maximum(overall, 1)
        eligible = (inside >= max(2, len(members) / 3)) & (share >= 0.5)
        for position in np.argsort(-(inside * share), kind="stable")[: count // 2]:
            if eligible[position]:
                chosen.append(str(phrases.vocabulary[position]))
    weight = np.asarray(tfidf[members].mean(axis=0)).ravel() - np.asarray(tfidf.mean(axis=0)).ravel()
    words = vectorizer.get_feature_names_out()
    in_phrases = {word for phrase in chosen for word in phrase.split()}
    for position in np.argsort(-weight, kind="stable"):
        if len(chosen) >= count or weight[position] <= 0:
            break
        if words[position] not in in_phrases:
            chosen.append(str(words[position]))
    return tuple(chosen)


def _quotes(
    public_members: np.ndarray,
    documents: Sequence[Document],
    centroid: np.ndarray,
    vectorizer: TfidfVectorizer,
    svd: TruncatedSVD | None,
    parameters: DiscoveryParameters,
) -> tuple[Quote, ...]:
    """The sentence most typical of the theme from each of its most typical public stories."""
    shortest, longest = parameters.quote_length
    candidates: list[tuple[int, str]] = []
    # The most typical public stories are enough to find good quotes; this bounds the work for very large themes.
    for index in public_members[: parameters.quote_count * 10]:
        for sentence in SENTENCE_END.split(documents[index].text):
            sentence = sentence.strip()
            if shortest <= len(sentence) <= longest:
                candidates.append((int(index), sentence))
    if not candidates:
        return ()
    sentence_vectors = vectorizer.transform([sentence for _, sentence in candidates])
    sentence_vectors = normalize(svd.transform(sentence_vectors) if svd else sentence_vectors.toarray())
    scores = sentence_vectors @ centroid
    quotes: list[Quote] = []
    quoted_stories: set[int] = set()
    chosen: list[int] = []
    for position in np.argsort(-scores, kind="stable"):
        index, sentence = candidates[position]
        if index in quoted_stories or scores[position] <= 0:
            continue
        # Quotes should show different sides of a theme, not the same words three times.
        if chosen and (sentence_vectors[chosen] @ sentence_vectors[position]).max() > QUOTE_MAX_SIMILARITY:
            continue
        quotes.append(Quote(documents[index].story_id, sentence))
        quoted_stories.add(index)
        chosen.append(position)
        if len(quotes) == parameters.quote_count:
            break
    return tuple(quotes)
