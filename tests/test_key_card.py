"""The key card, /my-story/<key>/card/: the private link on one printable page, as a short code and a QR code, opened
like every private page (never cached, never indexed, a wrong key is a 404) and never stored. The QR code is decoded
in Chromium (tests/browser/test_key_card.py); the code itself is tested in tests/test_story_code.py."""

import re

import pytest

from moderation.erasure import erase_story
from moderation.models import Contribution
from moderation.models.contributions import story_code
from tests import sharing
from tests.factories import ContributionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]


def shared_story(client) -> str:
    """The private link of a story sent through the share flow; the done page offers the card."""
    fields = sharing.fill_in(client)
    assert client.post("/share/check/", fields).status_code == 302
    done = client.get("/share/done/").content.decode()
    link = sharing.story_link(done)
    assert f'href="{link}card/"' in done
    return link


def test_the_card_has_the_link_its_code_what_it_opens_and_where_to_get_help(client):
    link = shared_story(client)
    key = link.rstrip("/").rsplit("/", 1)[1]
    assert f'href="/my-story/{key}/card/"' in client.get(link).content.decode()  # the private page offers it too

    response = client.get(f"{link}card/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
    html = response.content.decode()
    card = html[html.index('<article class="key-card"') : html.index("</article>")]
    # The card prints the short code, not the 43-character key: as a link, and to type at /my-story/code/.
    code = story_code(key)
    assert re.search(r'<p class="key-card-address">(.*?)</p>', card)[1] == f"http://testserver/my-story/{code}/"
    assert '<span class="key-card-address">http://testserver/my-story/code/</span>' in card
    groups = re.search(r'<p class="key-card-code-words">(.*?)</p>', card)[1].split("-")
    assert "-".join(groups) == code and {len(group) for group in groups} == {4} and key not in card
    svg = re.search(r"<svg\b.*?</svg>", card, re.S)[0]
    assert "<path" in svg and "style" not in svg and "<script" not in svg
    for words in ("check how far your story has got", "change your choices", "take it down for now", "withdraw it"):
        assert words in card
    assert "Samaritans" in card and "116 123" in card  # the crisis signposting, on the card itself


def test_a_wrong_key_gets_the_same_404_as_any_private_page(client):
    real = ContributionFactory()
    wrong = real.key[:-2] + ("aa" if not real.key.endswith("aa") else "bb")

    card, page = client.get(f"/my-story/{wrong}/card/"), client.get(f"/my-story/{wrong}/")

    assert card.status_code == page.status_code == 404
    # The same page, apart from the address it names for sharing.
    assert card.content.decode().replace("card/", "") == page.content.decode()
    assert real.key not in card.content.decode()


def test_a_withdrawn_story_has_no_card(client):
    link = shared_story(client)
    key = link.rstrip("/").rsplit("/", 1)[1]
    erase_story(Contribution.objects.for_key(key))

    response = client.get(f"{link}card/")

    assert response.status_code == 200 and "noindex" in response["X-Robots-Tag"]
    html = response.content.decode()
    assert "withdrawn" in html and "<svg" not in html and 'class="key-card' not in html
