"""On the review screen, in a real browser under the admin's CSP, selecting words sends exactly where they are: the
first of two occurrences is the first, words that appear once are found at once, a selection is widened to whole
words, and characters outside the Basic Multilingual Plane count as the server counts them."""

import pytest

from moderation.models import Redaction
from moderation.workflows import start_moderation
from tests.browser.conftest import sign_in_to_admin
from tests.factories import ConsentRecordFactory, ContributionFactory, StoryPageFactory, site_tree
from tests.moderators import moderator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARAGRAPH = "Sam rang me 💙 and then Sam came round.\nWe walked to the West of town."

SELECT = """([where, occurrence, from, length]) => {
  // Select `length` characters (UTF-16) of the text, starting at the `occurrence`-th match of `from`.
  const element = document.querySelector(`[data-where="${where}"]`);
  const node = element.firstChild;
  let at = -1;
  for (let i = 0; i < occurrence; i++) at = node.data.indexOf(from, at + 1);
  const range = document.createRange();
  range.setStart(node, at);
  range.setEnd(node, at + length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


def test_selecting_words_drafts_exactly_those(browser_page, live_server):
    _home, index = site_tree()
    story = StoryPageFactory(parent=index, title="Leaving Leeds", body=[("paragraph", PARAGRAPH)])
    contribution = ContributionFactory(story=story)
    ConsentRecordFactory(contribution=contribution)
    start_moderation(contribution)
    page = browser_page
    sign_in_to_admin(page, live_server, moderator())
    review = f"{live_server.url}/admin/moderation/story/{contribution.pk}/"

    def draft(where: str, occurrence: int, words: str, length: int | None = None) -> Redaction:
        page.goto(review)
        page.evaluate(SELECT, [where, occurrence, words, length or len(words)])
        page.wait_for_function("document.querySelector('[data-redaction-form]').elements.start.value !== ''")
        page.select_option("[data-redaction-form] select[name=code]", "identifies_third_party")
        page.click("[data-redaction-form] button[type=submit]")
        page.wait_for_url(review)
        return Redaction.objects.order_by("-pk").first()

    # The second "Sam", after an emoji (two UTF-16 units, one character for the server): exactly that one.
    second = draft("body:0", 2, "Sam")
    assert (second.passage, second.start) == ("Sam", PARAGRAPH.index("Sam", 1))
    # "the West" appears once, and never fills anything like "occurrence 2".
    west = draft("body:0", 1, "the West")
    assert (west.passage, west.start, west.end) == ("the West", PARAGRAPH.index("the West"), PARAGRAPH.index(" of"))
    # Half a word selected ("Lee" of "Leeds") removes the whole word; the title is redactable too.
    title = draft("title:0", 1, "Lee")
    assert (title.target, title.passage, title.start) == ("title", "Leeds", 8)
    # The first "Sam" stays untouched by the two drafts above, and can be drafted on its own.
    first = draft("body:0", 1, "Sam")
    assert (first.passage, first.start) == ("Sam", 0)
    assert Redaction.objects.count() == 4
