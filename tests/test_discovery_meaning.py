"""Discovery by meaning: themes across languages from the stories' vectors, the outside contract
(`discover_themes --input FILE --json`, no database), the fall-back to words, peers' work surviving runs, and
discovery queuing itself on the worker as stories are embedded."""

import io
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from research import curation, tasks
from research.discovery import DiscoveryParameters, Document, discover, relative_cut
from research.models import DiscoveryRun, EmergingTheme, ThemeMembership
from research.runs import run_discovery
from stories import embeddings
from stories.embeddings import centred_by_language
from stories.governance import publishing_under_governance
from stories.meaning import store_vectors
from tests.public_site import build_site
from tests.research_site import consented_story
from tests.workers import run_queue

# Four themes told in short paragraphs (one of only three stories), two in Spanish too, and two stories about
# nothing the others share. Hand-written for this test: the method itself was chosen on real writing (README).
STORIES = [json.loads(line) for line in (Path(__file__).parent / "data" / "themed_stories.jsonl").open()]


def theme_of(story_id: str) -> str:
    return story_id.split("-")[0]


def discovered(stdout: str) -> dict:
    return json.loads(stdout)


def test_the_contract_reads_json_lines_and_touches_no_database(tmp_path):
    """No django_db mark: pytest-django fails the test if anything touches the database."""
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(json.dumps(story) for story in STORIES) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    call_command("discover_themes", "--input", str(path), "--json", stdout=out, stderr=err)

    answer = discovered(out.getvalue())
    assert set(answer) == {"themes", "outliers"}
    assert "e5-language-centred-agglomerative" in err.getvalue()
    placed = [story_id for theme in answer["themes"] for story_id in theme["ids"]] + answer["outliers"]
    assert sorted(placed) == sorted(story["id"] for story in STORIES)  # every story once, ids as given
    assert all(theme["terms"] for theme in answer["themes"])
    by_theme = {}
    for theme in answer["themes"]:
        for story_id in theme["ids"]:
            by_theme[story_id] = tuple(theme["ids"])
    # Each theme is kept: most of its stories in one discovered theme, and they are most of it.
    for name in ("sleep", "garden", "money", "voices"):
        members = [story["id"] for story in STORIES if theme_of(story["id"]) == name]
        groups = [by_theme.get(story_id) for story_id in members]
        biggest = max(set(groups) - {None}, key=groups.count)
        assert groups.count(biggest) * 2 > len(members)
        assert sum(theme_of(story_id) == name for story_id in biggest) * 2 > len(biggest)
    # The small theme is kept on its own, the Spanish garden story joins the English one, and the two stories about
    # nothing the others share are outliers.
    assert {theme_of(story_id) for story_id in by_theme["voices-1"]} == {"voices"}
    assert by_theme["garden-es"] == by_theme["garden-1"]
    # (A theme's story may be left out as well: outliers are allowed, as long as each theme is kept, checked above.)
    assert {"other-1", "other-2"} <= set(answer["outliers"]) and len(answer["outliers"]) <= 3


def test_the_contract_refuses_bad_input_kindly(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "text": "fine"}\nnot json\n', encoding="utf-8")
    with pytest.raises(CommandError, match="line 2: not JSON"):
        call_command("discover_themes", "--input", str(path), "--json", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("discover_themes", "--input", str(tmp_path / "missing.jsonl"), stdout=io.StringIO())


def test_without_the_engine_discovery_falls_back_to_words_and_says_so(settings):
    embeddings._load.cache_clear()
    settings.EMBEDDINGS_BACKEND = "off"
    try:
        result = discover([Document(n, story["text"], story["language"]) for n, story in enumerate(STORIES)])
    finally:
        embeddings._load.cache_clear()
    assert result.method == "tfidf-lsa-agglomerative" and result.parameters.method == "words"
    assert "unavailable" in result.note and "found by words" in result.note


def test_stored_vectors_are_used_and_match_what_discovery_would_embed():
    documents = [Document(n, story["text"], story["language"]) for n, story in enumerate(STORIES)]
    vectors = embeddings.embed([document.text for document in documents], "passage")
    given = [Document(d.story_id, d.text, d.language, vector=vectors[d.story_id]) for d in documents]
    assert discover(given) == discover(documents)
    assert discover(given).parameters == DiscoveryParameters()


def test_the_cut_follows_how_alike_the_stories_are_and_is_recorded():
    """The cut is the mean similarity between different stories plus 0.75 standard deviations (bench/theme_methods.py
    measured it against a fixed distance on corpora held out from choosing it); a fixed distance can still be asked."""
    documents = [Document(n, story["text"], story["language"]) for n, story in enumerate(STORIES)]
    vectors = embeddings.embed([document.text for document in documents], "passage")
    centred = centred_by_language(vectors, [document.language for document in documents])
    similarity = (centred @ centred.T)[~np.eye(len(centred), dtype=bool)]
    expected = 1 - (similarity.mean() + 0.75 * similarity.std())
    assert relative_cut(centred, 0.75) == pytest.approx(expected, abs=1e-5)

    given = [Document(d.story_id, d.text, d.language, vector=vectors[d.story_id]) for d in documents]
    result = discover(given)
    assert result.cut == pytest.approx(expected, abs=1e-4) and result.parameters_dict()["cut"] == result.cut
    # Less alike stories (each vector's own part weighs more) give a lower bar for joining, not fewer themes.
    noisy = centred + np.random.default_rng(0).normal(0, 0.05, centred.shape).astype(np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    assert relative_cut(noisy, 0.75) > relative_cut(centred, 0.75)
    fixed = discover(given, DiscoveryParameters(meaning_distance_threshold=0.9))
    assert fixed.cut == 0.9


@pytest.fixture
def corpus(db):
    index = build_site()
    pages = {}
    for story in STORIES:
        page, _ = consented_story(index, story["text"], language=story["language"], title=story["id"])
        store_vectors(page)
        pages[story["id"]] = page
    return pages


def _theme_of_page(page) -> EmergingTheme:
    return ThemeMembership.objects.get(story=page).theme


def test_runs_by_meaning_keep_peers_names_merges_and_splits(corpus):
    run = run_discovery()
    assert run.parameters["method"] == "e5-language-centred-agglomerative" and not run.parameters["note"]
    sleep, garden = _theme_of_page(corpus["sleep-1"]), _theme_of_page(corpus["garden-1"])
    sleep.name = "Sleepless nights"
    sleep.save()
    money = _theme_of_page(corpus["money-1"])
    curation.merge_themes(garden, [money])
    voices = _theme_of_page(corpus["voices-1"])
    carers = curation.split_theme(voices, [corpus["voices-3"].pk], name="Voices at home")

    run_discovery()

    sleep.refresh_from_db()
    assert sleep.is_current and sleep.name == "Sleepless nights" and _theme_of_page(corpus["sleep-2"]) == sleep
    assert _theme_of_page(corpus["money-2"]) == garden  # merged by peers: stays merged
    assert _theme_of_page(corpus["voices-3"]) == carers  # split by peers: stays split


def test_discovery_queues_itself_on_the_worker_once_enough_stories_are_embedded(
    corpus, monkeypatch, django_capture_on_commit_callbacks
):
    tasks.discover_themes.call()  # the run the embedded corpus asked for
    DiscoveryRun.objects.update(started_at=DiscoveryRun.objects.get().started_at.replace(year=2000))
    monkeypatch.setattr(tasks, "NEW_STORIES_FOR_A_RUN", 100)
    # A day has passed since the last run and stories are new: discovery is due, and queued once.
    with django_capture_on_commit_callbacks(execute=True):
        for name, text in (("sleep-1", "I sleep better now."), ("garden-1", "My roses are out.")):
            page = corpus[name]
            page.body = [("paragraph", text)]
            with publishing_under_governance():  # standing in for a moderation decision
                page.save_revision().publish()
            store_vectors(page)
    queued = DBTaskResult.objects.filter(task_path="research.tasks.discover_themes")
    assert queued.count() == 1
    run_queue("default")
    assert DiscoveryRun.objects.count() == 2 and DiscoveryRun.objects.latest().status == DiscoveryRun.Status.FINISHED
    assert not tasks.discovery_due()  # nothing new since
