"""In Chromium: a story's and a collection's embed pages render inside an iframe on another origin (a page served from
another local port), a story's own page is refused there, and the embed and collection pages are axe-clean."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from curated.models import CollectionStory, StoryCollection
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.public_site import SPOKEN_TRANSCRIPT, build_site, media, publish_story

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def story():
    story = publish_story(
        build_site(), "The allotment", story_format="audio", transcript=SPOKEN_TRANSCRIPT, story_media=media()
    )
    collection = StoryCollection.objects.create(title="Ward visit", slug="ward", introduction="For the ward.")
    CollectionStory.objects.create(collection=collection, story=story)
    return story


@pytest.fixture
def other_origin(tmp_path):
    """Another site: a page at http://127.0.0.1:<its own port>/ (the live server is http://localhost:<port>) that
    frames an address. Returns a function: address -> the other site's page framing it."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def framing(address: str) -> str:
        name = f"host-{len(list(tmp_path.iterdir()))}.html"  # a new page each time: nothing from the browser's cache
        (tmp_path / name).write_text(
            '<!DOCTYPE html><html lang="en"><head><title>A CMS page</title></head><body><h1>Our training day</h1>'
            f'<iframe id="embedded" src="{address}" width="640" height="480" title="Embedded story"></iframe>'
            "</body></html>"
        )
        return f"http://127.0.0.1:{server.server_port}/{name}"

    yield framing
    server.shutdown()
    server.server_close()


def test_the_embed_renders_in_an_iframe_on_another_origin(live_server, browser_page: Page, story, other_origin):
    page = browser_page
    page.goto(other_origin(f"{live_server.url}/embed/stories/{story.pk}/"))
    frame = page.frame_locator("#embedded")
    expect(frame.get_by_role("heading", name="The allotment")).to_be_visible()
    expect(frame.locator("audio[data-player]")).to_be_attached()
    expect(frame.get_by_text(SPOKEN_TRANSCRIPT[1]["text"])).to_be_visible()
    # The player's script runs in the frame: choosing a line of the transcript plays from it.
    frame.locator("#line-1 a.moment").click()
    expect(frame.locator("#line-1")).to_have_attribute("aria-current", "true")
    expect(frame.get_by_role("link", name="Read this story on Voicebox (opens in a new tab)")).to_have_attribute(
        "href", f"http://localhost{story.url}"
    )

    page.goto(other_origin(f"{live_server.url}/embed/collections/ward/"))
    frame = page.frame_locator("#embedded")
    frame.get_by_role("link", name="The allotment").click()
    expect(frame.get_by_role("heading", name="The allotment")).to_be_visible()


def test_a_story_page_is_refused_in_a_frame_on_another_origin(live_server, browser_context, story, other_origin):
    page = browser_context.new_page()
    refusals = []
    page.on("console", lambda message: refusals.append(message.text) if "frame-ancestors" in message.text else None)
    page.goto(other_origin(live_server.url + story.url))
    page.wait_for_timeout(1000)
    assert any("frame-ancestors 'none'" in text and "blocked" in text for text in refusals), refusals
    assert page.frame_locator("#embedded").get_by_role("heading", name="The allotment").count() == 0


def test_the_embed_and_collection_pages_are_axe_clean(live_server, browser_page: Page, story):
    for path in (f"/embed/stories/{story.pk}/", "/embed/collections/ward/", "/collections/", "/collections/ward/"):
        assert browser_page.goto(live_server.url + path).status == 200, path
        assert_no_axe_violations(browser_page)
