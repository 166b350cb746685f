"""Sharing and finding stories: Open Graph and Twitter card tags, the canonical link, the story page's share control,
sitemap.xml (public, published pages only) and robots.txt."""

import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import override_settings
from wagtail.models import PageViewRestriction
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION, SiteRootPath

from base.trust_pages import ensure_trust_pages
from moderation.erasure import erase_story
from moderation.expiry import take_off_the_site
from moderation.models import StoryStatus
from stories.governance import publishing_under_governance
from tests.factories import ContributionFactory, StoryPageFactory
from tests.public_site import publish_story

pytestmark = pytest.mark.django_db

META = re.compile(r'<meta (?:property|name)="((?:og|twitter):[a-z_]+)" content="([^"]*)">')


def share_tags(html: str) -> dict[str, str]:
    return {name: unescape(content) for name, content in META.findall(html)}


def canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', html)[1]


def sitemap_locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


@override_settings(SITE_URL="https://stories.example.org")
def test_a_story_page_is_described_by_its_title_and_first_words(client, index):
    story = publish_story(
        index,
        "The long walk home",
        body=("I walked home the long way every night that winter.", "Nobody else needs to know the rest."),
        display_name="Robin",
    )
    html = client.get(story.url + "?t=12").content.decode()
    tags = share_tags(html)
    address = f"https://stories.example.org{story.url}"
    assert canonical(html) == address, "one address, without the moment or any query"
    assert tags == {
        "og:site_name": "Voicebox",
        "og:type": "article",
        "og:url": address,
        "og:title": "The long walk home",
        "og:description": "I walked home the long way every night that winter.",
        "twitter:card": "summary",
        "twitter:title": "The long walk home",
        "twitter:description": "I walked home the long way every night that winter.",
    }


def test_an_anonymous_story_s_tags_carry_no_name_and_nothing_private(client, index):
    story = publish_story(index, "Nights on the ward", body=("The nights were the hardest part.",))
    ContributionFactory(story=story, status=StoryStatus.PUBLISHED, email="sam.okafor@example.org")
    html = client.get(story.url).content.decode()
    assert "Shared by Anonymous" in html
    head = html.split("</head>")[0]
    tags = share_tags(html)
    assert tags["og:title"] == "Nights on the ward"
    assert tags["og:description"] == "The nights were the hardest part."
    for private in ("sam", "okafor", "example.org", "Anonymous", "Shared by"):
        assert private.lower() not in head.lower(), private
    assert "author" not in head


def test_every_public_page_has_share_tags_and_a_canonical_link(client, index):
    publish_story(index, "A story", body=("Words.",))
    ensure_trust_pages(index.get_parent())
    for path in ("/", "/stories/", "/themes/", "/policy/", "/about/", "/privacy/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        tags = share_tags(html)
        assert tags["og:title"] and tags["og:description"] and tags["twitter:card"] == "summary", path
        assert canonical(html) == tags["og:url"] == f"http://testserver{path}", path
    about = share_tags(client.get("/about/").content.decode())
    assert about["og:title"] == "About Voicebox"
    assert about["og:description"].startswith("Voicebox shares mental-health recovery stories")


def test_the_share_control_works_without_javascript(client, index):
    story = publish_story(index, "Small wins", body=("A notebook of small wins.",))
    html = client.get(story.url).content.decode()
    address = f"http://testserver{story.url}"
    assert re.search(rf'<input id="share-story-link" type="text" readonly value="{re.escape(address)}"', html)
    assert '<label for="share-story-link">Link to this story</label>' in html
    mailto = unescape(re.search(r'href="(mailto:[^"]+)"', html)[1])
    assert unquote(mailto) == f"mailto:?subject=Small wins&body=Small wins\n\n{address}"
    assert "/static/js/share_link.js" in html


def test_the_sitemap_lists_public_published_pages_only(client, index):
    public = publish_story(index, "Out in the open", body=("Everyone may read this.",))
    researchers_only = publish_story(index, "For researchers", body=("Only researchers.",))
    restriction = PageViewRestriction.objects.create(page=researchers_only, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get_or_create(name="Researchers")[0]])
    password = publish_story(index, "Behind a password", body=("Shh.",))
    PageViewRestriction.objects.create(page=password, restriction_type=PageViewRestriction.PASSWORD, password="x")
    draft = StoryPageFactory(parent=index, title="Not yet", slug="not-yet")
    taken_down = publish_story(index, "Past its end date", body=("Expired.",))
    with publishing_under_governance():
        take_off_the_site(taken_down)
    withdrawn = publish_story(index, "Withdrawn later", body=("Going.",))
    withdrawn_url = withdrawn.url
    erase_story(ContributionFactory(story=withdrawn, status=StoryStatus.PUBLISHED))

    locations = sitemap_locations(client)
    paths = {re.sub(r"^https?://[^/]+", "", location) for location in locations}
    assert {"/", "/stories/", public.url} <= paths
    for hidden in (researchers_only.url, password.url, draft.url or "/stories/not-yet/", taken_down.url, withdrawn_url):
        assert hidden not in paths, hidden
    assert all(location.startswith("http://testserver/") for location in locations)


@override_settings(SITE_URL="https://stories.example.org")
def test_sitemap_addresses_start_with_the_site_url(client, index):
    story = publish_story(index, "Somewhere", body=("Here.",))
    assert f"https://stories.example.org{story.url}" in sitemap_locations(client)


def test_the_sitemap_names_each_page_in_every_interface_language(client, index):
    story = publish_story(index, "Somewhere", body=("Here.",))
    xml = client.get("/sitemap.xml").content.decode()
    entry = re.search(rf"<url><loc>http://testserver{story.url}</loc>.*?</url>", xml)[0]
    alternates = dict(re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/>', entry))
    assert alternates == {
        "en-gb": f"http://testserver{story.url}",
        "cy": f"http://testserver/cy{story.url}",
        "es": f"http://testserver/es{story.url}",
        "x-default": f"http://testserver{story.url}",
    }
    assert all(client.get(address).status_code == 200 for address in alternates.values())


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_paths(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = [line for line in response.content.decode().splitlines() if line and not line.startswith("#")]
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    rules = {line for line in lines if line.startswith(("Allow:", "Disallow:"))}
    assert {
        "Allow: /share/$",
        "Disallow: /share/",
        "Disallow: /my-story/",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /api/",
        "Disallow: /search/",
    } <= rules
    assert not any(rule in {"Disallow: /", "Disallow: /stories/"} for rule in rules)


def test_sitemap_and_robots_are_not_stored_in_the_page_cache_and_keep_their_headers(client, index):
    story = publish_story(index, "First", body=("One.",))
    for path in ("/robots.txt", "/sitemap.xml"):
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200
            assert "X-Voicebox-Cache" not in response
            assert "default-src 'self'" in response["Content-Security-Policy"]
    later = publish_story(index, "Second", body=("Two.",))
    assert {story.url, later.url} <= {re.sub(r"^https?://[^/]+", "", loc) for loc in sitemap_locations(client)}
    assert client.head("/robots.txt").status_code == 200
    assert client.post("/robots.txt").status_code == 405


def test_the_sitemap_leaves_out_pages_this_process_cannot_address_yet(client, index):
    """Another process (load_demo) moved the site's root: this process's cached root paths are the old ones until they
    expire, and its pages have no address meanwhile. They are left out, not listed as nothing."""
    story = publish_story(index, "Moved", body=("Here.",))
    stale = [SiteRootPath(1, "/an-old-root/", "http://localhost", "en")]
    cache.set(SITE_ROOT_PATHS_CACHE_KEY, stale, 3600, version=SITE_ROOT_PATHS_CACHE_VERSION)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "<loc>" not in response.content.decode()

    cache.delete(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
    assert f"http://testserver{story.url}" in sitemap_locations(client)


def test_private_pages_and_errors_are_never_described_for_sharing(client, story_index):
    """A private page's address holds a story key or a one-time token: no canonical link or Open Graph tag may
    repeat it, and a wrong key's 404 is the very page any missing address gets."""
    from tests import sharing

    fields = sharing.fill_in(client, method="write", story=sharing.story_answers(title="Kept to myself"))
    assert client.post("/share/check/", fields).status_code == 302
    done = client.get("/share/done/").content.decode()
    key = sharing.story_link(done).rstrip("/").rsplit("/", 1)[1]
    pages = {
        "/share/done/": done,
        f"/my-story/{key}/": client.get(f"/my-story/{key}/").content.decode(),
        f"/my-story/{key}/card/": client.get(f"/my-story/{key}/card/").content.decode(),
        "/my-story/lost-link/": client.get("/my-story/lost-link/").content.decode(),
    }
    wrong = client.get("/my-story/Qz7-not-anybodys-key-Wq/")
    missing = client.get("/no-such-page-at-all/")
    assert wrong.status_code == missing.status_code == 404
    pages["a wrong key"] = wrong.content.decode()
    for name, html in pages.items():
        head = html.split("</head>", 1)[0]
        assert 'rel="canonical"' not in head and not share_tags(head), name
        assert '<meta name="robots" content="noindex, nofollow">' in head, name
        assert key not in head, name
    assert "not-anybodys-key" not in pages["a wrong key"] and "no-such-page" not in missing.content.decode()
    # The share form's first step is a page to point people at; the later ones hold one person's answers.
    assert share_tags(client.get("/share/").content.decode())["og:url"].endswith("/share/")
