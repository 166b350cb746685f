"""A lost private link, replaced: a contributor who left an email address asks for a fresh link, and opening the
link we email them issues a new story key; the old key then opens nothing.

- No enumeration: the page that asks answers the same for any address. It only looks up which stories the address
  belongs to and queues one background task with their ids (none, for an unknown address); the task sends the
  emails, so the answer does not wait for a mail server, and the queue holds no address.
- The emailed link is a signed token (no table): the story's id and a keyed fingerprint of its current key hash,
  valid for an hour. Issuing a new key changes the hash, so the token, and every other one sent for that story,
  stops working once used.
- The new key is shown once, like the share flow's done page; only its hash is stored.
"""

import hmac

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import override
from django_tasks import task

from moderation import notifications
from moderation.models import AuditEvent, Contribution

TOKEN_MAX_AGE_SECONDS = 60 * 60
_TOKEN_SALT = "contributions.lost_link.token"  # noqa: S105 - a signing salt, not a secret
_FINGERPRINT_SALT = "contributions.lost_link.key"


class LinkNotValid(Exception):
    """The emailed link is forged, expired, already used, or its story is gone."""


def stories_for(email: str) -> list[int]:
    """The stories an address was left for (only those that still have a story to follow)."""
    return list(
        Contribution.objects.filter(email__iexact=email.strip(), story__isnull=False).values_list("pk", flat=True)
    )


def ask(email: str) -> None:
    """Queue the fresh-link emails for this address: the same one write whether or not the address is known."""
    ids = stories_for(email)
    transaction.on_commit(lambda: send_fresh_links.enqueue(ids))


@task()
def send_fresh_links(contribution_ids: list[int]) -> int:
    """Email each story's contributor a link that issues a new key; returns how many were sent."""
    sent = 0
    for contribution in Contribution.objects.filter(pk__in=contribution_ids, story__isnull=False).exclude(email=""):
        # In the language they shared in, as the email is (this runs in a worker, in no reader's language).
        with override(contribution.interface_language):
            path = reverse("contributions:lost_link_open", args=[make_token(contribution)])
        link = settings.WAGTAILADMIN_BASE_URL + path
        sent += notifications.notify(contribution, "fresh_link", link=link, hours=TOKEN_MAX_AGE_SECONDS // 3600)
    return sent


def _fingerprint(key_hash: str) -> str:
    # Keyed, so the emailed token says nothing about the stored hash.
    return salted_hmac(_FINGERPRINT_SALT, key_hash).hexdigest()[:32]


def make_token(contribution: Contribution) -> str:
    return signing.dumps({"c": contribution.pk, "f": _fingerprint(contribution.key_hash)}, salt=_TOKEN_SALT)


def _check(token: str, *, lock: bool = False) -> Contribution:
    try:
        payload = signing.loads(token, salt=_TOKEN_SALT, max_age=TOKEN_MAX_AGE_SECONDS)
        pk, fingerprint = int(payload["c"]), str(payload["f"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise LinkNotValid from error
    rows = Contribution.objects.select_for_update() if lock else Contribution.objects
    contribution = rows.filter(pk=pk, story__isnull=False).first()
    if contribution is None or not hmac.compare_digest(_fingerprint(contribution.key_hash), fingerprint):
        raise LinkNotValid
    return contribution


def check(token: str) -> Contribution:
    """The story an emailed link is for, or LinkNotValid."""
    return _check(token)


@transaction.atomic
def issue_new_key(token: str) -> tuple[Contribution, str]:
    """Replace the story's key: returns the new key (to show once). The old key, and this token, stop working."""
    contribution = _check(token, lock=True)
    key, key_hash = Contribution.new_key()
    contribution.key_hash = key_hash
    contribution.save(update_fields=["key_hash"])
    AuditEvent.record(contribution.story_id, AuditEvent.Action.LINK_REISSUED, AuditEvent.Actor.CONTRIBUTOR)
    return contribution, key
