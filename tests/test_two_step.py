"""The admin's two-step sign-in as a finished product: a wrong code says so where it is seen, single-use backup codes
stand in for the authenticator app (shown once, replaced when remade, recorded without the codes), the admin's own
assets load before the second step, no avatar service is asked, and the admin sends a Content-Security-Policy."""

import logging
import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from base.two_factor import issue_backup_codes
from tests.moderators import PASSWORD, make_user, moderator, peer_moderator, sign_in

pytestmark = pytest.mark.django_db

BACKUP_CODES = "/admin/two-step/backup-codes/"
CODE = re.compile(r"<code>([a-z2-7]{4} [a-z2-7]{4})</code>")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def password_only(username: str) -> Client:
    client = Client(REMOTE_ADDR="192.0.2.10")
    assert client.post("/admin/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def codes_in(response) -> list[str]:
    return CODE.findall(response.content.decode())


def test_a_wrong_code_is_reported_above_the_form_where_wagtails_sign_in_layout_shows_errors():
    moderator()
    response = password_only("mo").post("/admin/two-step/verify/", {"token": "123456"})

    html = response.content.decode()
    assert response.status_code == 200
    # Wagtail's sign-in layout hides errors next to fields (.login .login-form .w-field__errors); its own sign-in
    # page lists them in the messages box above the form, and so do the two-step pages.
    messages_box = re.search(r'<div class="messages" role="status">(.*?)</div>', html, re.S).group(1)
    assert '<li class="error">That code did not match.' in messages_box


def test_a_moderator_makes_ten_backup_codes_that_are_shown_once_and_replaced_when_remade():
    client = sign_in(moderator())
    assert "0 unused backup codes" in client.get(BACKUP_CODES).content.decode()

    made = client.post(BACKUP_CODES)
    codes = codes_in(made)
    assert len(codes) == 10 == len(set(codes))
    assert "no-store" in made["Cache-Control"]
    again = client.get(BACKUP_CODES).content.decode()
    assert codes_in(client.get(BACKUP_CODES)) == [] and "10 unused backup codes" in again
    assert not any(code in again or code.replace(" ", "") in again for code in codes)

    remade = codes_in(client.post(BACKUP_CODES))
    assert len(remade) == 10 and not set(remade) & set(codes)
    assert StaticToken.objects.count() == 10


def test_a_password_alone_cannot_make_backup_codes():
    moderator()
    client = password_only("mo")
    response = client.post(BACKUP_CODES)
    assert response.status_code == 302 and response["Location"].startswith("/admin/two-step/verify/")
    assert not StaticToken.objects.exists()


def test_a_peer_moderator_without_a_phone_signs_in_with_backup_codes_each_once():
    admin = sign_in(make_user("root", superuser=True))
    peer = peer_moderator()
    TOTPDevice.objects.filter(user=peer).delete()  # no smartphone
    codes = codes_in(admin.post(f"{BACKUP_CODES}{peer.pk}/"))
    assert len(codes) == 10

    client = password_only("pat")
    to_step = client.get("/admin/moderation/")
    assert to_step["Location"].startswith("/admin/two-step/verify/"), "codes are a second factor: no setup forced"
    response = client.post("/admin/two-step/verify/", {"token": codes[0].upper(), "next": "/admin/moderation/"})
    assert response.status_code == 302 and response["Location"] == "/admin/moderation/"
    queue = client.get("/admin/moderation/")
    assert queue.status_code == 200 and "You signed in with a backup code; 9 left." in queue.content.decode()

    used_again = password_only("pat").post("/admin/two-step/verify/", {"token": codes[0]})
    assert used_again.status_code == 200 and "That code did not match" in used_again.content.decode()
    time.sleep(1.1)  # django-otp makes you wait a moment after a wrong code
    assert password_only("pat").post("/admin/two-step/verify/", {"token": codes[1]}).status_code == 302
    assert StaticToken.objects.filter(device__user=peer).count() == 8


def test_with_every_backup_code_used_and_no_authenticator_the_next_sign_in_sets_one_up():
    peer = peer_moderator()
    TOTPDevice.objects.filter(user=peer).delete()
    issue_backup_codes(peer, issued_by=peer)
    StaticToken.objects.filter(device__user=peer).delete()
    response = password_only("pat").get("/admin/")
    assert response["Location"].startswith("/admin/two-step/setup/")


def test_only_superusers_issue_codes_for_someone_else_from_the_users_listing():
    mo = moderator()
    peer = peer_moderator()
    refused = sign_in(mo).post(f"{BACKUP_CODES}{peer.pk}/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "no permission" answer
    assert not StaticToken.objects.exists()

    admin = sign_in(make_user("root", superuser=True))
    listing = admin.get("/admin/users/").content.decode()
    assert f"{BACKUP_CODES}{peer.pk}/" in listing and "Issue backup codes" in listing


def test_issuing_and_using_codes_is_in_wagtails_history_and_no_code_is_in_any_log(caplog):
    caplog.set_level(logging.DEBUG)
    admin_user = make_user("root", superuser=True)
    admin = sign_in(admin_user)
    peer = peer_moderator()
    codes = codes_in(admin.post(f"{BACKUP_CODES}{peer.pk}/"))
    assert password_only("pat").post("/admin/two-step/verify/", {"token": codes[0]}).status_code == 302

    entries = ModelLogEntry.objects.filter(object_id=str(peer.pk)).order_by("timestamp")
    issued, used = entries
    assert (issued.action, issued.user, issued.data) == ("voicebox.backup_codes.issue", admin_user, {"count": 10})
    assert (used.action, used.user, used.data) == ("voicebox.backup_codes.use", peer, {"left": 9})
    history = admin.get("/admin/reports/site-history/").content.decode()
    assert "Backup codes issued" in history and "Signed in with a backup code" in history

    written = caplog.text + " ".join(str(entry.data) for entry in ModelLogEntry.objects.all())
    assert not any(code.replace(" ", "") in written or code in written for code in codes)


def test_the_admins_translations_catalogue_loads_before_the_second_step():
    moderator()
    response = password_only("mo").get("/admin/jsi18n/")
    assert response.status_code == 200 and "django" in response.content.decode()


def test_no_admin_page_asks_an_outside_avatar_service():
    client = sign_in(moderator())
    for path in ("/admin/", "/admin/account/", "/admin/moderation/"):
        html = client.get(path).content.decode()
        assert "gravatar" not in html, path


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/two-step/verify/", "/admin/", "/django-admin/"])
def test_the_admin_sends_a_content_security_policy_without_inline_script(path):
    response = sign_in(make_user("root", superuser=True)).get(path, follow=True)

    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"  # the page editor's live preview frames the admin
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
