"""The short code on the key card: the same credential as the story key, written for typing by hand. It opens the
same pages through `opens_story` (in any case, with or without hyphens, at /my-story/<code>/ or through "Type the code
from your card"), shares the key's guessing budget and 404, and is replaced and tombstoned with the key."""

import re

import pytest

from contributions import lost_link
from moderation.erasure import erase_story
from moderation.models import Contribution, WithdrawnStoryKey
from moderation.models.contributions import CODE_ALPHABET, as_story_code, legacy_key_hash, story_code
from tests import sharing
from tests.factories import ContributionFactory
from tests.test_my_story import rows_mentioning

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_index")]


def test_the_code_is_140_bits_of_crockford_base32_in_groups_of_four_and_follows_from_the_key():
    key = Contribution.new_key()[0]
    code = story_code(key)

    groups = code.split("-")
    assert [len(group) for group in groups] == [4] * 7 and set("".join(groups)) <= set(CODE_ALPHABET)
    assert story_code(key) == code and story_code(Contribution.new_key()[0]) != code
    assert len(CODE_ALPHABET) ** 28 >= 2**128 and not set("ILOU") & set(CODE_ALPHABET)
    # As a person may type it: small letters, spaces for hyphens, I or L for 1, O for 0.
    typed = code.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert as_story_code(typed) == as_story_code(code.replace("-", "")) == code
    assert as_story_code(code[:-1]) is None and as_story_code(code[:-1] + "U") is None and as_story_code(key) is None


def test_the_code_opens_the_story_in_any_case_with_or_without_hyphens(client):
    contribution = ContributionFactory()
    code = story_code(contribution.key)

    for typed in (code, code.lower(), code.replace("-", ""), code.lower().replace("-", "")):
        response = client.get(f"/my-story/{typed}/")
        assert response.status_code == 200, typed
        assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
        # The page's own links carry the code as printed, so every private page opens from it.
        html = response.content.decode()
        assert f'href="/my-story/{code}/card/"' in html and contribution.key not in html
    assert client.get(f"/my-story/{code.lower()}/card/").status_code == 200
    assert Contribution.objects.for_key(code.lower()) == contribution


def test_a_wrong_code_gets_the_same_404_as_a_wrong_key(client):
    real = ContributionFactory()
    code = story_code(real.key)
    wrong_code = code[:-1] + ("X" if not code.endswith("X") else "Y")
    wrong_key = real.key[:-2] + ("aa" if not real.key.endswith("aa") else "bb")

    by_code, by_key = client.get(f"/my-story/{wrong_code}/"), client.get(f"/my-story/{wrong_key}/")

    assert by_code.status_code == by_key.status_code == 404
    assert by_code.content == by_key.content
    assert code not in by_code.content.decode() and real.key not in by_code.content.decode()


def test_codes_and_keys_share_one_guessing_budget(client):
    real = ContributionFactory()
    guesses = [story_code(Contribution.new_key()[0]) if i % 2 else Contribution.new_key()[0] for i in range(21)]

    statuses = [client.get(f"/my-story/{guess}/").status_code for guess in guesses]

    assert statuses == [404] * 20 + [429]
    assert client.get(f"/my-story/{story_code(real.key)}/").status_code == 429
    assert client.get(f"/my-story/{real.key}/").status_code == 429
    form = client.post("/my-story/code/", {"code": story_code(real.key)}, follow=True)
    assert form.status_code == 429


def test_type_the_code_page_sends_a_code_to_its_story_and_explains_a_mistyped_one(client):
    contribution = ContributionFactory()
    code = story_code(contribution.key)

    page = client.get("/my-story/code/")
    assert page.status_code == 200 and "Type the code from your key card" in page.content.decode()
    assert "no-store" in page["Cache-Control"] and "noindex" in page["X-Robots-Tag"]

    sent = client.post("/my-story/code/", {"code": f"  {code.lower().replace('-', ' ')} "})
    assert sent.status_code == 302 and sent["Location"] == f"/my-story/{code}/"
    assert client.get(sent["Location"]).status_code == 200

    mistyped = client.post("/my-story/code/", {"code": code[:-2]})
    assert mistyped.status_code == 400
    html = mistyped.content.decode()
    assert "doesn&#x27;t look like a code from a key card" in html and f'value="{code[:-2]}"' in html
    assert client.post("/my-story/code/", {"code": ""}).status_code == 400

    wrong = client.post("/my-story/code/", {"code": story_code(Contribution.new_key()[0])})
    assert wrong.status_code == 302 and client.get(wrong["Location"]).status_code == 404


def test_a_new_key_from_a_lost_link_replaces_the_code(client):
    contribution = ContributionFactory(email="sam.contributor@example.org")
    old_code = story_code(contribution.key)

    _contribution, new_key = lost_link.issue_new_key(lost_link.make_token(contribution))

    assert client.get(f"/my-story/{old_code}/").status_code == 404
    assert client.get(f"/my-story/{story_code(new_key)}/").status_code == 200


def test_a_withdrawn_story_is_withdrawn_by_its_code_too(client):
    contribution = ContributionFactory()
    code = story_code(contribution.key)
    # Withdrawn through the code: the tombstone is the same one the key finds.
    assert client.post(f"/my-story/{code.lower()}/withdraw/").status_code == 302
    assert Contribution.objects.count() == 0 and WithdrawnStoryKey.objects.count() == 1

    for credential in (code, code.replace("-", "").lower(), contribution.key):
        response = client.get(f"/my-story/{credential}/")
        assert response.status_code == 200 and "withdrawn and erased" in response.content.decode()
    # The erasure scan's own check: no row anywhere holds the code, in either way of writing it.
    assert rows_mentioning(code) == [] and rows_mentioning(code.replace("-", "")) == []


def test_a_story_from_before_codes_opens_by_its_key_and_then_by_its_code(client):
    contribution = ContributionFactory()
    Contribution.objects.filter(pk=contribution.pk).update(key_hash=legacy_key_hash(contribution.key))
    code = story_code(contribution.key)
    assert client.get(f"/my-story/{code}/").status_code == 404

    assert client.get(f"/my-story/{contribution.key}/").status_code == 200

    assert client.get(f"/my-story/{code}/").status_code == 200
    assert client.get(f"/my-story/{contribution.key}/").status_code == 200


def test_a_tombstone_from_before_codes_still_says_withdrawn(client):
    contribution = ContributionFactory()
    Contribution.objects.filter(pk=contribution.pk).update(key_hash=legacy_key_hash(contribution.key))
    contribution.refresh_from_db()
    erase_story(contribution)

    response = client.get(f"/my-story/{contribution.key}/")

    assert response.status_code == 200 and "withdrawn and erased" in response.content.decode()


def test_the_code_is_never_stored(client):
    contribution = ContributionFactory()
    code = story_code(contribution.key)
    client.get(f"/my-story/{code}/card/")
    stored = str(list(Contribution.objects.values()))
    assert not re.search(re.escape(code.replace("-", "")), stored) and code not in stored


def test_the_done_page_shows_the_code_once_beside_the_link(client):
    fields = sharing.fill_in(client)
    assert client.post("/share/check/", fields).status_code == 302

    done = client.get("/share/done/").content.decode()

    key = sharing.story_link(done).rstrip("/").rsplit("/", 1)[1]
    assert f'<p class="key-code">{story_code(key)}</p>' in done and 'href="/my-story/code/"' in done
    assert story_code(key) not in client.get("/share/done/").content.decode()  # shown once, like the key
