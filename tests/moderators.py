"""Moderators for tests: real accounts in the real groups, signed in through the Wagtail login and a TOTP code."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from moderation import roles

PASSWORD = "a long test password for moderators"  # noqa: S105


def make_user(username: str, *groups: str, superuser: bool = False):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@voicebox.example", password=PASSWORD, is_superuser=superuser
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def moderator(username: str = "mo"):
    return make_user(username, roles.MODERATORS)


def peer_moderator(username: str = "pat"):
    return make_user(username, roles.PEER_MODERATORS)


def fresh_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet: this time step's, or the next one's (within the allowed tolerance)
    when this one was already used by an earlier sign-in in the same half-minute."""
    device.refresh_from_db()
    now_step = int((time.time() - device.t0) // device.step)
    ahead = 1 if device.last_t >= now_step + device.drift else 0
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    return str(code).zfill(device.digits)


def sign_in(user, client: Client | None = None) -> Client:
    """Sign in as a person would: the Wagtail login form, then a code from the authenticator app."""
    client = client or Client(REMOTE_ADDR="192.0.2.10")
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/two-step/verify/" in response["Location"]
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    response = client.post("/admin/two-step/verify/", {"token": fresh_code(device), "next": "/admin/"})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def action_url(contribution, action: str) -> str:
    return f"/admin/moderation/story/{contribution.pk}/action/{action}/"


def declined_by(contribution, first, second) -> None:
    """Put a story into moderation and decline it: `first` proposes (duplicate), `second` confirms."""
    from moderation import workflows

    workflows.start_moderation(contribution)
    task_state = contribution.story.current_workflow_task_state
    workflows.perform_action(task_state, first, "propose_decline", code="duplicate", passage="x", note="y")
    workflows.perform_action(task_state, second, "confirm_decline", note="z")
    contribution.refresh_from_db()
