"""The interface's languages: every language complete, what is compiled is what is written, and each one served at its
own addresses (English unprefixed, /cy/, /es/) with the page cache, hreflang alternates and emails in the language."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from base.models import StandardPage
from base.trust_pages import contact_link
from moderation.models import ConsentRecord, ConsentText, Contribution
from tests import sharing

ROOT = Path(settings.BASE_DIR)
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))


def _key(entry) -> tuple:
    return entry.msgctxt, entry.msgid, entry.msgid_plural


def test_the_languages_are_the_translation_files_present():
    """Adding a language is its file (`make language CODE=..`): nothing else to register."""
    files = {path.parent.parent.name for path in (ROOT / "locale").glob("*/LC_MESSAGES/django.po")}
    assert set(OTHER_LANGUAGES) == files and {"cy", "es"} <= files


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(code):
    po = catalogue(code)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} strings not translated into {code}, such as {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy translations in {code} (check them, then remove the flag): {fuzzy[:5]}"
    assert len(po) > 500  # the whole interface, not a stub
    for entry in po:
        if entry.msgid_plural:  # every plural form of the language filled in
            assert all(entry.msgstr_plural.values()), (code, entry.msgid)


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_english(code):
    """A translation that loses or misspells %(name)s fails when it is shown (KeyError), or drops the story's words."""
    wrong = []
    for entry in catalogue(code).translated_entries():
        if "python-format" not in entry.flags:
            continue
        english = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            # A plural form may leave out the count ("un solo día"), never anything else.
            if not set(PLACEHOLDER.findall(text)) <= english or not english - {"counter", "count"} <= set(
                PLACEHOLDER.findall(text)
            ):
                wrong.append((entry.msgid, text))
    assert not wrong, f"{len(wrong)} translations into {code} with other placeholders than their English: {wrong[:3]}"
    if shutil.which("msgfmt"):  # GNU gettext's own check of the same, and of the file's form
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(catalogue(code).fpath)], check=True)


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_the_compiled_file_is_the_translation_file(code):
    """The .mo files are committed so that `make run` needs no gettext: they must say what the .po files say."""
    written = {_key(entry): entry.msgstr_plural or entry.msgstr for entry in catalogue(code).translated_entries()}
    compiled_file = ROOT / "locale" / code / "LC_MESSAGES" / "django.mo"
    compiled = {_key(entry): entry.msgstr_plural or entry.msgstr for entry in polib.mofile(str(compiled_file))}
    compiled.pop((None, "", ""), None)  # the header
    assert compiled == written, f"run `make messages` to compile locale/{code}"


def test_the_translation_files_hold_every_string_the_code_marks(tmp_path):
    """makemessages over a copy of the project finds no string that the committed files lack, and none they have
    that the code no longer uses."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is not installed, and CI must check the translation files (.ci/run installs it).")
        pytest.skip("GNU gettext (xgettext) is not installed here; CI installs it and runs this check.")
    copy = tmp_path / "voicebox"
    # What git ignores (tools, caches, collected static files, media) is not the project's own words.
    ignored = shutil.ignore_patterns(
        ".*",
        "node_modules",
        "var",
        "media",
        "private_media",
        "static_collected",
        "test-artifacts",
        "__pycache__",
        "*.mo",
        "*.sqlite3",
        "*.egg-info",
    )
    shutil.copytree(ROOT, copy, ignore=lambda path, names: ignored(path, names) | ({".venv"} & set(names)))
    command = [sys.executable, "manage.py", "makemessages", "--all", "--no-obsolete", "--no-wrap"]
    command += [f"--ignore={name}" for name in ("tests", "bench", "docs", "node_modules", "var", "static_collected")]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "voicebox.settings.test"}
    subprocess.run(command, cwd=copy, env=environment, check=True, capture_output=True)
    for code in OTHER_LANGUAGES:
        marked = {_key(entry) for entry in polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po"))}
        committed = {_key(entry) for entry in catalogue(code) if not entry.obsolete}
        assert marked == committed, (
            f"locale/{code} is out of date (run `make messages` and translate): "
            f"new {sorted(marked - committed, key=str)[:5]}, gone {sorted(committed - marked, key=str)[:5]}"
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("story_index")
@pytest.mark.parametrize(("code", "share"), [("cy", "Rhannwch eich stori"), ("es", "Comparte tu historia")])
def test_each_language_is_served_at_its_own_addresses(client, code, share):
    english = client.get("/stories/")
    other = client.get(f"/{code}/stories/")
    assert english.status_code == other.status_code == 200
    html = other.content.decode()
    assert f'<html lang="{code}">' in html and share in html
    assert "<h1>Stories</h1>" in english.content.decode() and "<h1>Stories</h1>" not in html  # the index's own title
    assert "Share your story" in english.content.decode() and share not in english.content.decode()
    # Each is stored by the page cache under its own language, and served again in it.
    assert english["X-Voicebox-Cache"] == other["X-Voicebox-Cache"] == "miss"
    again = client.get(f"/{code}/stories/")
    assert again["X-Voicebox-Cache"] == "hit" and share in again.content.decode()
    # Links stay in the language, and every language names the others.
    assert f'href="/{code}/share/"' in html
    for alternate, _name in settings.LANGUAGES:
        prefix = "" if alternate == settings.LANGUAGE_CODE else f"/{alternate}"
        assert f'<link rel="alternate" hreflang="{alternate}" href="http://testserver{prefix}/stories/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/stories/">' in html


@pytest.mark.django_db
@pytest.mark.usefixtures("story_index")
@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_sharing_in_a_language_agrees_to_its_consent_words_and_hears_back_in_it(
    client, code, django_capture_on_commit_callbacks
):
    consent = ConsentText.current(code)
    assert consent.language == code and consent.body != ConsentText.current(settings.LANGUAGE_CODE).body
    with translation.override(code):
        fields = sharing.fill_in(client, prefix=f"/{code}")
        assert consent.title in client.get(f"/{code}/share/choices/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/{code}/share/check/", fields)
    assert response.status_code == 302 and response["Location"] == f"/{code}/share/done/"

    contribution = Contribution.objects.get()
    record = ConsentRecord.objects.get(contribution=contribution)
    assert contribution.interface_language == code
    assert (record.consent_text, record.text_version_hash) == (consent, consent.version_hash)
    [email] = mail.outbox
    with translation.override(code):
        assert email.subject == translation.gettext("We have your story") != "We have your story"
    assert f"/{code}/policy/" in email.body


@pytest.mark.django_db
@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_the_site_pages_default_words_are_in_each_language_and_staff_words_as_written(client, code):
    def said_in(english: str) -> str:
        with translation.override(code):
            words = translation.gettext(english)
        assert words != english, f"not translated into {code}: {english}"
        return words

    contact = client.get(f"/{code}/contact/").content.decode()
    assert f"<h1>{said_in('Contact us')}</h1>" in contact and f"<h2>{said_in('Reach a person')}</h2>" in contact
    reach = said_in(
        "<p>Email us at {mail}. A member of our team reads every message. Tell us how you would like us to reply.</p>"
    )
    assert reach.replace("{mail}", contact_link()) in contact  # the deployment's own address, in the translation
    about = client.get(f"/{code}/about/").content.decode()
    main = about.split("<main", 1)[1].split("</main>")[0]
    assert f'href="/{code}/policy/"' in main and 'href="/policy/"' not in main
    easy = client.get(f"/{code}/easy-read/sharing/").content.decode()
    assert said_in("You can <b>share your story</b> about mental health.") in easy
    assert "You can <b>share your story</b> about mental health." in client.get("/easy-read/sharing/").content.decode()

    # Words staff have written are shown as written, in every language.
    page = StandardPage.objects.get(slug="about")
    page.introduction = "Written by our staff this morning."
    page.save_revision().publish()
    assert "Written by our staff this morning." in client.get(f"/{code}/about/").content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("story_index")
def test_the_language_switcher_keeps_only_what_a_stored_page_may_vary_by(client):
    """Any other parameter in the address would be written into a page the cache then serves to everyone."""
    first = client.get("/stories/?format=audio&next=https://elsewhere.example&q=something-else")
    assert first["X-Voicebox-Cache"] == "miss"
    for response in (first, client.get("/stories/?format=audio")):
        html = response.content.decode()
        assert 'href="/cy/stories/?format=audio"' in html and 'href="/es/stories/?format=audio"' in html
        assert "elsewhere.example" not in html and "something-else" not in html
