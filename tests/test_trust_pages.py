"""The trust pages (about, contact, privacy, accessibility): there on a fresh site from migrations alone, there after
`load_demo`, linked from every page's footer, and edited as ordinary Wagtail pages."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from wagtail.models import Site

from base.models import StandardPage
from base.trust_pages import default_pages, ensure_trust_pages
from contributions.submission import HELD_UPLOAD_LIFETIME
from stories.models import HomePage
from tests.factories import site_tree

pytestmark = pytest.mark.django_db

TRUST_PATHS = ["/about/", "/contact/", "/privacy/", "/accessibility/"]
FOOTER = re.compile(r'<footer class="site-footer">(.*?)</footer>', re.S)


def footer_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', FOOTER.search(html)[1])


def assert_trust_pages_answer(client) -> None:
    for path in TRUST_PATHS:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "<h1>" in html
        assert set(TRUST_PATHS) <= set(footer_links(html)), "every trust page links to the others from its footer"
    for link in footer_links(client.get("/about/").content.decode()):
        assert client.get(link).status_code == 200, f"footer link {link}"


def test_a_fresh_site_has_the_trust_pages_from_its_migrations_alone(client):
    # The test database is made by the migrations: no load_demo, no fixture. The site's root is Wagtail's first page.
    root = Site.objects.get(is_default_site=True).root_page
    assert sorted(StandardPage.objects.child_of(root).live().values_list("slug", flat=True)) == sorted(
        page["slug"] for page in default_pages()
    )
    assert_trust_pages_answer(client)


def test_load_demo_moves_the_trust_pages_under_its_home_page(client):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())

    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert StandardPage.objects.child_of(home).live().count() == len(TRUST_PATHS)
    assert StandardPage.objects.count() == len(TRUST_PATHS)
    assert_trust_pages_answer(client)
    assert set(TRUST_PATHS) <= set(footer_links(client.get("/").content.decode()))
    assert set(TRUST_PATHS) <= set(footer_links(client.get("/stories/").content.decode()))


def test_staff_words_are_kept_and_missing_pages_come_back(client):
    root = Site.objects.get(is_default_site=True).root_page
    privacy = StandardPage.objects.get(slug="privacy")
    privacy.introduction = "Our own words about privacy."
    privacy.save_revision().publish()
    StandardPage.objects.get(slug="accessibility").delete()

    ensure_trust_pages(root)

    assert StandardPage.objects.get(slug="privacy").introduction == "Our own words about privacy."
    assert StandardPage.objects.child_of(root).live().filter(slug="accessibility").exists()
    assert "Our own words about privacy." in client.get("/privacy/").content.decode()


def test_the_privacy_page_says_what_the_code_does(client):
    """The defaults name the retention the code enforces, and who sees what, in plain words."""
    html = client.get("/privacy/").content.decode()
    assert timedelta(hours=24) == HELD_UPLOAD_LIFETIME
    for promise in (
        "erased after 24 hours",  # contributions.submission.HELD_UPLOAD_LIFETIME
        "kept until you withdraw it",
        "They do not see your email address",
        "never your name, email address or link",  # research.exports.FIELDS
        "fingerprint",  # only the story key's hash is stored
        "taken down at once and erased",  # moderation.erasure
        "Information Commissioner",
    ):
        assert promise in html, promise


def test_staff_may_add_a_standard_page_under_the_home_page():
    home, _ = site_tree()
    ensure_trust_pages(home)
    assert StandardPage.can_create_at(home)
    assert not StandardPage.can_create_at(StandardPage.objects.get(slug="about")), "a standard page has no children"
