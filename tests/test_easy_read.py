"""The easy-read pages (sharing, consent, the policy): there on a fresh site from migrations alone and after
`load_demo`, linked from every step of /share/, the consent text, the policy and the footer, in short sentences,
each beside a picture drawn for the project with words that say what it shows."""

import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Site

from base.easy_read import HOME_SLUG, default_pages, ensure_easy_read_pages
from base.models import EASY_READ_PICTURES, EasyReadPage
from moderation import policy
from stories.models import HomePage
from tests import sharing

pytestmark = pytest.mark.django_db

HOME = "/easy-read/"
PAGES = {"sharing": "/easy-read/sharing/", "consent": "/easy-read/consent/", "policy": "/easy-read/policy/"}
PICTURES = Path(settings.BASE_DIR) / "static" / "img" / "easy-read"
MAX_WORDS_A_LINE = 15
MAX_AVERAGE_WORDS = 10


def page(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content, "html.parser")


def links_to(soup: BeautifulSoup, path: str, text: str | None = None) -> list:
    return [a for a in soup.select(f'a[href="{path}"]') if text is None or a.get_text(strip=True) == text]


def assert_easy_read_pages_answer(client) -> None:
    home = page(client, HOME)
    for path in PAGES.values():
        assert links_to(home, path), f"the easy-read home lists {path}"
        soup = page(client, path)
        assert soup.select(".easy-read-row"), path
        assert soup.select_one("main").find("a", string="More easy-read pages", href=HOME), "each leads to the others"
        for link in soup.select("main a[href^='/']"):
            assert client.get(link["href"]).status_code == 200, f"{path} links to {link['href']}"


def test_a_fresh_site_has_the_easy_read_pages_from_its_migrations_alone(client):
    # The test database is made by the migrations: no load_demo, no fixture.
    root = Site.objects.get(is_default_site=True).root_page
    home = EasyReadPage.objects.child_of(root).live().get(slug=HOME_SLUG)
    assert sorted(EasyReadPage.objects.child_of(home).live().values_list("slug", flat=True)) == sorted(PAGES)
    assert_easy_read_pages_answer(client)


def test_load_demo_moves_the_easy_read_pages_under_its_home_page(client):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())

    home = EasyReadPage.objects.get(slug=HOME_SLUG)
    assert home.get_parent().pk == HomePage.objects.get().pk
    assert EasyReadPage.objects.child_of(home).live().count() == len(PAGES)
    assert EasyReadPage.objects.count() == len(PAGES) + 1
    assert_easy_read_pages_answer(client)


def test_staff_words_are_kept_and_missing_pages_come_back(client):
    root = Site.objects.get(is_default_site=True).root_page
    consent = EasyReadPage.objects.get(slug="consent")
    consent.introduction = "Our own easy words."
    consent.save_revision().publish()
    EasyReadPage.objects.get(slug="policy").delete()

    ensure_easy_read_pages(root)

    assert EasyReadPage.objects.get(slug="consent").introduction == "Our own easy words."
    assert EasyReadPage.objects.filter(slug="policy").live().exists()
    assert "Our own easy words." in page(client, PAGES["consent"]).get_text()


@pytest.mark.usefixtures("story_index")
def test_every_step_of_sharing_links_to_easy_read_and_the_consent_text_to_its_own(client):
    # The story index fixture roots the site at a new home page, as load_demo does: the pages follow it there.
    ensure_easy_read_pages(Site.objects.get(is_default_site=True).root_page)
    sharing.fill_in(client)
    for step in ("/share/", "/share/story/", "/share/choices/", "/share/check/"):
        soup = page(client, step)
        assert links_to(soup, PAGES["sharing"], "Easy read: how to share"), step
    consent_text = page(client, "/share/choices/").select_one("#consent-text")
    assert links_to(consent_text, PAGES["consent"], "Easy read: what you agree to")
    assert links_to(page(client, "/policy/"), PAGES["policy"], "Easy read: what we publish")
    assert links_to(page(client, "/share/").select_one("footer"), HOME, "Easy read")
    for path in [HOME, *PAGES.values()]:
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("slug", PAGES)
def test_each_line_is_one_short_sentence_beside_a_described_picture(client, slug):
    soup = page(client, PAGES[slug])
    rows = soup.select(".easy-read-row")
    counts = []
    for row in rows:
        words = re.findall(r"[\w'\u2019\[\]-]+", row.select_one(".easy-read-sentence").get_text(" "))
        assert 0 < len(words) <= MAX_WORDS_A_LINE, " ".join(words)
        counts.append(len(words))
        assert row.select_one(".easy-read-sentence b"), f"key words are bold: {' '.join(words)}"
        picture = row.select_one("img")
        assert picture["alt"].strip(), picture["src"]
        assert picture["alt"] == EASY_READ_PICTURES[Path(picture["src"]).stem]
    assert sum(counts) / len(counts) <= MAX_AVERAGE_WORDS, sum(counts) / len(counts)


def test_every_picture_is_a_drawing_of_our_own_that_parses():
    files = {path.stem for path in PICTURES.glob("*.svg")}
    assert files == set(EASY_READ_PICTURES), "every picture has a file and words, and no file is unused"
    used = {row.value["picture"] for page in EasyReadPage.objects.all() for row in page.body if row.block_type == "row"}
    assert used <= files
    for path in PICTURES.glob("*.svg"):
        svg = ElementTree.parse(path).getroot()
        assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox"), path.name
        text = path.read_text()
        for outside in ("<script", "style=", "<style", "href=", "<image"):
            assert outside not in text, f"{path.name}: {outside}"
    assert all(alt.endswith(".") and len(alt.split()) >= 2 for alt in EASY_READ_PICTURES.values())


def test_the_easy_read_policy_counts_the_reasons_the_policy_has():
    """The easy words promise what the code does: as many reasons to say no as moderators can choose."""
    text = " ".join(
        BeautifulSoup(row.value["sentence"].source, "html.parser").get_text()
        for row in EasyReadPage.objects.get(slug="policy").body
        if row.block_type == "row"
    )
    assert f"only say no for {len(policy.DECLINE_REASONS)} reasons" in text
    assert [defaults["slug"] for defaults in default_pages()] == list(PAGES)
