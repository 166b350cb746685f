"""Walking the share flow through the real views with Django's test client, as a person would step by step."""

import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from moderation.models import ConsentText

STORY_TEXT = "The first winter was the hardest.\nI stopped answering the phone.\n\nThen a peer worker sat with me."


class StoredFiles:
    """The files the private and public storage hold now, to see which a test added or left behind."""

    def __init__(self):
        self.before = self._all()

    @staticmethod
    def _all() -> set[Path]:
        roots = (Path(settings.PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT))
        return {path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()}

    def added(self) -> set[Path]:
        return self._all() - self.before


def story_answers(**overrides) -> dict:
    """The story step's answers; an override of None leaves that field out."""
    answers = {"title": "Finding my feet again", "text": STORY_TEXT, "language": "en", **overrides}
    return {name: value for name, value in answers.items() if value is not None}


def choice_answers(*, media: bool = False, **overrides) -> dict:
    """The choices step's answers: everyone may see it and researchers may use it, named "Sam"."""
    answers = {
        "consent_version": ConsentText.current().version_hash,
        "audience": "both",
        "identity": "pseudonym",
        "display_name": "Sam",
        "expires_on": "",
        "minimal_edits": "yes",
        "email": "sam@example.org",
        "suggested_theme": "Allotments",
        "agree": "on",
    }
    if media:
        answers["media_use"] = "media"
    answers.update(overrides)
    return {name: value for name, value in answers.items() if value is not None}


def upload(path: Path, name: str | None = None, content_type: str = "audio/ogg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type=content_type)


def pretend_time_passed(client: Client, seconds: float = 60) -> None:
    """Move the flow's start back, as if the person had taken `seconds` to fill it in (no test sleeps)."""
    session = client.session
    session["share_flow"]["started_at"] -= seconds
    session.save()


def check_page_fields(html: str) -> dict:
    """The hidden fields of the final form (signed start time and idempotency token), as a browser would send them."""
    return {name: re.search(rf'name="{name}" value="([^"]*)"', html)[1] for name in ("started", "token")}


def fill_in(
    client: Client,
    *,
    method: str = "write",
    story: dict | None = None,
    choices: dict | None = None,
    media_file=None,
    prefix: str = "",
) -> dict:
    """Steps 1-3, then the check page; returns the fields the final form will post. `prefix` is an interface
    language's ("/cy"): the steps are then those addresses, in that language."""
    response = client.post(f"{prefix}/share/", {"method": method})
    assert response.status_code == 302, response.content.decode()
    story_data = dict(story or story_answers(**({"text": None} if method != "write" else {})))
    if media_file is not None:
        story_data["media"] = media_file
    response = client.post(f"{prefix}/share/story/", story_data)
    assert response.status_code == 302, response.content.decode()
    response = client.post(f"{prefix}/share/choices/", choices or choice_answers(media=method != "write"))
    assert response.status_code == 302, response.content.decode()
    pretend_time_passed(client)
    response = client.get(f"{prefix}/share/check/")
    assert response.status_code == 200
    return check_page_fields(response.content.decode())


def story_link(done_html: str) -> str:
    return re.search(r'value="(http://testserver/my-story/[^"]+/)"', done_html)[1]


def share_recording(client: Client, recording: Path, *, title: str = "Nights on the ward") -> tuple:
    """Share an anonymous audio story through the real flow, edits not pre-authorised: (contribution, story key)."""
    from moderation.models import Contribution

    fields = fill_in(
        client,
        method="upload",
        story=story_answers(title=title, text=None),
        choices=choice_answers(media=True, minimal_edits="no", identity="anonymous", display_name=""),
        media_file=upload(recording),
    )
    assert client.post("/share/check/", fields).status_code == 302
    key = story_link(client.get("/share/done/").content.decode()).rstrip("/").rsplit("/", 1)[1]
    return Contribution.objects.get(idempotency_key=fields["token"]), key
