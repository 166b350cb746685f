"""The admin's defences: two-step sign-in for everyone in it, lockout by username and address together, and
escaping of everything a contributor wrote."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import PageViewRestriction

from moderation import roles, workflows
from moderation.models import Decision
from tests.factories import ConsentRecordFactory, ContributionFactory, StoryPageFactory, site_tree
from tests.moderators import PASSWORD, action_url, make_user, moderator, peer_moderator, sign_in

pytestmark = pytest.mark.django_db

XSS = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture(autouse=True)
def setup():
    cache.clear()
    site_tree()


def password_only(username: str, address: str = "192.0.2.10") -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_someone_without_an_authenticator_must_set_one_up_before_the_admin_opens():
    user = make_user("newcomer", roles.MODERATORS)
    TOTPDevice.objects.filter(user=user).delete()
    client = password_only("newcomer")

    response = client.get("/admin/moderation/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/two-step/setup/")
    setup_page = client.get(response["Location"])
    html = setup_page.content.decode()
    assert setup_page.status_code == 200 and "<svg" in html and "Key:" in html

    assert client.post("/admin/two-step/setup/", {"token": "000000"}).status_code == 200
    assert client.get("/admin/").status_code == 302

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    time.sleep(1.1)  # django-otp makes you wait a moment after a wrong code (1 s, doubling with each failure)
    code = str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(6)
    response = client.post("/admin/two-step/setup/", {"token": code, "next": "/admin/moderation/"})
    assert response.status_code == 302 and response["Location"] == "/admin/moderation/"
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/admin/moderation/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/", "/admin/moderation/", "/admin/pages/", "/admin/users/", "/django-admin/"])
def test_a_password_alone_opens_no_admin_page(path):
    make_user("mo", roles.MODERATORS, superuser=True)
    client = password_only("mo")
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/admin/two-step/verify/")
    assert client.post("/admin/two-step/verify/", {"token": "123456"}).status_code == 200  # a wrong code
    assert client.get(path).status_code == 302


def test_a_verified_moderator_reaches_the_admin():
    client = sign_in(moderator())
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/moderation/").status_code == 200


def test_failed_sign_ins_lock_out_that_username_from_that_address_only():
    make_user("mo", roles.MODERATORS)
    make_user("pat", roles.PEER_MODERATORS)
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    statuses = [
        attacker.post("/admin/login/", {"username": "mo", "password": "wrong guess"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the form again, then locked
    # Now even the right password does not open the account from that address.
    locked = attacker.post("/admin/login/", {"username": "mo", "password": PASSWORD})
    assert locked.status_code == 429
    # The real moderator, elsewhere, is not locked out; nor is anyone else from that address.
    assert (
        Client(REMOTE_ADDR="192.0.2.10").post("/admin/login/", {"username": "mo", "password": PASSWORD}).status_code
        == 302
    )
    assert attacker.post("/admin/login/", {"username": "pat", "password": PASSWORD}).status_code == 302


def guesses_until_locked(username: str, client_for) -> int:
    """Wrong passwords for `username` until the lockout answers 429; client_for(n) is the client of the n-th try."""
    for attempt in range(1, 3 * settings.AXES_FAILURE_LIMIT):
        if client_for(attempt).post("/admin/login/", {"username": username, "password": "wrong"}).status_code == 429:
            return attempt
    return 3 * settings.AXES_FAILURE_LIMIT


@pytest.mark.parametrize("trusted_proxies", [0, 1])
def test_rotating_a_spoofed_forwarded_for_entry_gives_no_extra_guesses(settings, trusted_proxies):
    settings.TRUSTED_PROXY_COUNT = trusted_proxies
    make_user("mo", roles.MODERATORS)
    # Behind one proxy the socket address is the proxy's and the proxy appends the real client's address; without a
    # proxy the socket address is the client's. Either way the client writes the left-hand entries as it likes.
    real = "198.51.100.7"
    meta = {"REMOTE_ADDR": "127.0.0.1" if trusted_proxies else real}

    def spoofing(attempt: int) -> Client:
        forwarded = f"203.0.113.{attempt}, {real}" if trusted_proxies else f"203.0.113.{attempt}"
        return Client(HTTP_X_FORWARDED_FOR=forwarded, **meta)

    assert guesses_until_locked("mo", spoofing) == settings.AXES_FAILURE_LIMIT


@pytest.mark.parametrize("trusted_proxies", [0, 1])
def test_a_client_behind_the_proxy_locks_out_only_itself(settings, trusted_proxies):
    settings.TRUSTED_PROXY_COUNT = trusted_proxies

    def via_proxy(address: str) -> Client:
        if trusted_proxies:  # nginx's $proxy_add_x_forwarded_for: the one address it saw, the socket is nginx's
            return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)
        return Client(REMOTE_ADDR=address)

    make_user("mo", roles.MODERATORS)
    assert guesses_until_locked("mo", lambda _attempt: via_proxy("198.51.100.7")) == settings.AXES_FAILURE_LIMIT
    # The moderator, from their own address through the same proxy, still signs in.
    assert via_proxy("192.0.2.10").post("/admin/login/", {"username": "mo", "password": PASSWORD}).status_code == 302


def test_the_admin_escapes_everything_a_contributor_wrote(client):
    story = StoryPageFactory(
        parent=site_tree()[1], title=f"My story {XSS}", body=[("paragraph", f"It started {XSS} on the ward.")]
    )
    contribution = ContributionFactory(story=story)
    ConsentRecordFactory(contribution=contribution)
    workflows.start_moderation(contribution)
    first, second = sign_in(moderator("first")), sign_in(moderator("second"))
    first.post(
        f"/admin/moderation/story/{contribution.pk}/redactions/",
        {"where": "body:0", "passage": XSS, "occurrence": 1, "code": "identifies_contributor", "label": "detail"},
    )
    first.post(action_url(contribution, "propose_edits"))
    client.post(f"/my-story/{contribution.key}/edits/", {"answer": "reply", "reply": f"No thanks {XSS}"})
    queue = first.get("/admin/moderation/")
    assert "My story &lt;img" in queue.content.decode()
    first.post(
        action_url(contribution, "propose_decline"),
        {"propose_decline-code": "duplicate", "propose_decline-passage": XSS, "propose_decline-note": "x"},
    )
    second.post(action_url(contribution, "confirm_decline"), {"confirm_decline-note": "ok"})
    client.post(f"/my-story/{contribution.key}/appeal/", {"message": f"Please {XSS}"})
    assert Decision.objects.filter(kind="decline", status="confirmed").exists()
    pause = {"pause-passage": f"Risk {XSS}", "pause-note": f"Note {XSS}"}
    peer = sign_in(peer_moderator())
    assert peer.post(action_url(contribution, "pause"), pause).status_code == 302

    pages = {
        "queue": queue,
        "review": first.get(f"/admin/moderation/story/{contribution.pk}/"),
        "safeguarding": first.get("/admin/moderation/safeguarding/"),
        "audit": first.get(f"/admin/moderation/story/{contribution.pk}/audit/"),
        "wagtail editor (sends to the review screen)": first.get(f"/admin/pages/{story.pk}/edit/", follow=True),
        "contributor edits": client.get(f"/my-story/{contribution.key}/edits/"),
        "contributor appeal": client.get(f"/my-story/{contribution.key}/appeal/"),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert XSS not in html, name
        assert not re.search(r"<img[^>]*onerror", html), name
    for name in ("review", "contributor edits", "contributor appeal"):
        assert ESCAPED in pages[name].content.decode(), name


def restricted_story(*groups: str):
    """A published story shown only to signed-in people, or to the given groups."""
    story = StoryPageFactory(parent=site_tree()[1], title="For researchers only", live=True)
    kind = PageViewRestriction.GROUPS if groups else PageViewRestriction.LOGIN
    restriction = PageViewRestriction.objects.create(page=story, restriction_type=kind)
    restriction.groups.set(Group.objects.filter(name__in=groups))
    return story


@pytest.mark.parametrize("groups", [(), (roles.RESEARCHERS,)])
def test_a_password_alone_does_not_open_a_restricted_story(groups):
    story = restricted_story(*groups)
    user = make_user("rita", roles.RESEARCHERS)

    # Wagtail's password-only sign-in for restricted pages is not there: it sends people to the two-step one.
    wagtail_login = Client(REMOTE_ADDR="192.0.2.10")
    response = wagtail_login.post(
        f"/_util/login/?next={story.url}", {"username": "rita", "password": PASSWORD, "next": story.url}
    )
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in wagtail_login.session
    anonymous = wagtail_login.get(story.url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/_util/login/")

    # The first step of the admin sign-in gives a session, but the story asks for the second step first.
    client = password_only("rita")
    response = client.get(story.url)
    assert response.status_code == 302 and response["Location"] == f"/admin/two-step/verify/?next={story.url}"
    assert b"For researchers only" not in response.content

    assert sign_in(user).get(story.url).status_code == 200
