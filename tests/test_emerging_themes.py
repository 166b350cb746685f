"""Emerging themes end to end: discovery over published stories, peers' names surviving later runs, merging,
splitting, hiding only for a policy reason (never deleting), and /themes/ quoting public stories only.

These run discovery as it falls back without the embedding engine (by words), on the generated labelled stories
whose themes TF-IDF tells apart; discovery by meaning, and runs that keep peers' work with it, are tested in
test_discovery_meaning.py."""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client

from moderation import roles
from moderation.models import ConsentRecord
from research import curation
from research.models import DiscoveryRun, EmergingTheme, ThemeMembership, ThemeSize, UnthemedStory
from research.runs import run_discovery
from research.sample_stories import NO_THEME, labelled_stories
from stories import embeddings
from stories.models import StoryPage
from tests.moderators import make_user, sign_in
from tests.public_site import build_site
from tests.research_site import PRIVATE_NAME, consented_story
from tests.workers import run_queue

pytestmark = pytest.mark.django_db

# Written into every story for researchers only: it must never reach a public page.
RESEARCHERS_ONLY_MARK = "Zanzibar-researchers-only"


@pytest.fixture(autouse=True)
def without_embeddings(settings):
    embeddings._load.cache_clear()
    settings.EMBEDDINGS_BACKEND = "off"
    yield
    embeddings._load.cache_clear()


@pytest.fixture
def corpus():
    """The labelled stories as real pages: every third one for researchers only, the rest public."""
    index = build_site()
    pages = {}
    for number, story in enumerate(labelled_stories(1)):
        researchers_only = number % 3 == 0
        text = f"{story.text} {RESEARCHERS_ONLY_MARK} {number}." if researchers_only else story.text
        page, _ = consented_story(
            index,
            text,
            language=story.language,
            audience=ConsentRecord.Audience.RESEARCHERS if researchers_only else ConsentRecord.Audience.BOTH,
            suggested_themes="Medication, side effects" if story.theme == "medication" else "",
        )
        pages[page.pk] = (story, researchers_only)
    return pages


def _theme_holding(pages, theme_name, language="en") -> EmergingTheme:
    counts = {}
    for membership in ThemeMembership.objects.select_related("theme"):
        story, _ = pages[membership.story_id]
        if (story.theme, story.language) == (theme_name, language):
            counts[membership.theme] = counts.get(membership.theme, 0) + 1
    return max(counts, key=counts.get)


def test_discovery_run_finds_themes_outliers_and_records_sizes(corpus):
    call_command("discover_themes")

    run = DiscoveryRun.objects.latest()
    assert run.status == DiscoveryRun.Status.FINISHED and run.story_count == len(corpus)
    assert run.theme_count >= 8
    # Without the engine, discovery says it fell back to words.
    assert run.parameters["method"] == "tfidf-lsa-agglomerative" and "found by words" in run.parameters["note"]
    unthemed = {pk for pk, (story, _) in corpus.items() if story.theme == NO_THEME}
    assert unthemed <= set(UnthemedStory.objects.values_list("story_id", flat=True))
    deaf = _theme_holding(corpus, "deaf_access")
    assert {corpus[pk][0].theme for pk in deaf.memberships.values_list("story_id", flat=True)} == {"deaf_access"}
    assert ThemeSize.objects.filter(run=run).count() == EmergingTheme.objects.current().count()


def test_peer_names_links_merges_and_splits_survive_the_next_run(corpus):
    run_discovery()
    voices = _theme_holding(corpus, "voices")
    voices.name, voices.description = "Hearing voices", "Living with voices, in people's own terms."
    voices.save()
    english, spanish = _theme_holding(corpus, "medication"), _theme_holding(corpus, "medication", "es")
    curation.merge_themes(english, [spanish])
    family = _theme_holding(corpus, "family")
    moved = list(family.memberships.values_list("story_id", flat=True)[:3])
    carers = curation.split_theme(family, moved, name="Caring for someone")

    run_discovery()

    voices.refresh_from_db()
    assert voices.is_current and voices.name == "Hearing voices"
    assert _theme_holding(corpus, "voices") == voices
    spanish.refresh_from_db()
    assert spanish.merged_into == english and not spanish.is_current
    assert _theme_holding(corpus, "medication", "es") == english
    assert set(carers.memberships.values_list("story_id", flat=True)) == set(moved)
    assert ThemeSize.objects.filter(theme=voices).count() == 2


def test_a_theme_is_hidden_only_for_a_policy_reason_and_never_deleted(corpus):
    run_discovery()
    theme = EmergingTheme.objects.current().first()
    peer = make_user("pat", roles.PEER_MODERATORS)
    client = sign_in(peer)
    edit_url = f"/admin/emerging_themes/edit/{theme.pk}/"

    refused = client.post(edit_url, {"name": "Hide me", "description": "", "hidden": "on", "hidden_reason_code": ""})
    assert refused.status_code == 200 and "Choose the policy reason" in refused.content.decode()
    theme.refresh_from_db()
    assert not theme.hidden

    client.post(edit_url, {"name": "Named", "description": "", "hidden": "on", "hidden_reason_code": "slur"})
    theme.refresh_from_db()
    assert theme.hidden and theme.hidden_reason_code == "slur" and theme.hidden_by == peer
    assert curation.hidden_theme_counts() == {"slur": 1}

    listing = client.get("/admin/emerging_themes/")
    assert listing.status_code == 200 and "/admin/emerging_themes/delete/" not in listing.content.decode()
    assert client.post(f"/admin/emerging_themes/delete/{theme.pk}/").status_code in (302, 403, 404)
    assert EmergingTheme.objects.filter(pk=theme.pk).exists()
    with pytest.raises(ValueError):
        curation.hide_theme(theme, "not-on-the-policy", peer)

    report = Client().get("/moderation/report/").content.decode()
    assert re.search(r'data-row="themes_hidden"><th scope="row">Hidden by peer moderators</th><td>1</td>', report)
    assert "Hidden: A slur against a group of people</th><td>1</td>" in report


def test_peers_see_contributors_suggested_themes_beside_the_emerging_one(corpus):
    run_discovery()
    medication = _theme_holding(corpus, "medication")
    client = sign_in(make_user("pat", roles.PEER_MODERATORS))

    page = client.get(f"/admin/research/themes/{medication.pk}/").content.decode()

    assert "side effects" in page and "medication (" in page
    assert client.get("/admin/research/themes/unthemed/").status_code == 200


def test_themes_page_quotes_only_public_stories(corpus):
    run_discovery()
    hidden = _theme_holding(corpus, "crisis")
    hidden.name = "A hidden theme name"
    hidden.save()
    curation.hide_theme(hidden, "identifies_third_party", None)

    response = Client().get("/themes/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Themes emerging from the stories" in html
    assert RESEARCHERS_ONLY_MARK not in html and PRIVATE_NAME not in html
    assert "A hidden theme name" not in html
    quotes = re.findall(r'<blockquote cite="([^"]+)"[^>]*><p>(.*?)</p></blockquote>', html, re.S)
    assert len(quotes) >= 8
    public_urls = {page.url: page.pk for page in StoryPage.objects.filter(pk__in=corpus) if not corpus[page.pk][1]}
    for url, text in quotes:
        assert url in public_urls, "a quote links to a story that is not public"
        story, _ = corpus[public_urls[url]]
        assert unescape(text) in story.text
    assert html.count('role="img"') >= 8  # a growth chart per theme, as an image with a text alternative


def test_emerging_theme_page_and_feed_list_public_stories_only(corpus):
    run_discovery()
    voices = _theme_holding(corpus, "voices")

    page = Client().get(f"/themes/emerging/{voices.pk}/")
    feed = Client().get(f"/feeds/themes/emerging/{voices.pk}/")

    assert page.status_code == 200 and feed.status_code == 200
    public_voices = [pk for pk, (story, hidden) in corpus.items() if story.theme == "voices" and not hidden]
    assert f"{len(public_voices)} published stories" in page.content.decode()
    assert RESEARCHERS_ONLY_MARK not in page.content.decode() + feed.content.decode()
    curation.hide_theme(voices, "slur", None)
    assert Client().get(f"/themes/emerging/{voices.pk}/").status_code == 404


def test_the_background_job_runs_discovery_on_the_worker(corpus):
    call_command("discover_themes", "--queue")

    run_queue("default")

    run = DiscoveryRun.objects.latest()
    assert run.status == DiscoveryRun.Status.FINISHED and run.story_count == len(corpus)
    assert EmergingTheme.objects.current().count() == run.theme_count >= 8
