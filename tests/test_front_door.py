"""The production front door, as shipped in deploy/: Debian's nginx terminating TLS in front of gunicorn.

Both run from the deploy files as they are (tests/front_door.py fills in only ports, paths and a self-signed
certificate), with TRUSTED_PROXY_COUNT=1 as the README says. Runs in `make test`'s first pass; under CI a missing
nginx fails the test (.ci/run installs it).
"""

import re
import shutil
import socket
import ssl
import threading
import time

import pytest

from tests.conftest import require_service_in_ci
from tests.front_door import HOST, NGINX, FrontDoor, Visitor, share_written_story

LOCKOUT_LIMIT = 5  # AXES_FAILURE_LIMIT's default
MODERATOR_PASSWORD = "a long and private passphrase"


@pytest.fixture(scope="module")
def door(tmp_path_factory):
    require_service_in_ci(shutil.which("nginx") is not None or shutil.which(NGINX) is not None, "Debian's nginx")
    door = FrontDoor(tmp_path_factory.mktemp("front-door"))
    door.prepare()
    door.manage(
        "shell",
        "-c",
        f"from django.contrib.auth.models import User; User.objects.create_user('mo', password={MODERATOR_PASSWORD!r})",
    )
    door.start()
    yield door
    door.stop()


def a_story_page(door: FrontDoor) -> str:
    index = Visitor(door).get("/stories/").body
    return re.search(r'href="(/stories/[a-z0-9-]+/)"', index)[1]


def test_the_share_journey_works_through_nginx_and_no_log_holds_the_key(door):
    visitor = Visitor(door, source="127.0.0.5")
    key = share_written_story(visitor, "Walking through the front door")

    story = visitor.get(f"/my-story/{key}/")
    assert story.status == 200 and "Walking through the front door" in story.body
    # Django saw HTTPS through X-Forwarded-Proto: no redirect loop, HSTS sent, secure cookies kept.
    assert "max-age=" in story.headers["Strict-Transport-Security"]
    # Plain HTTP is sent to HTTPS by nginx.
    plain = socket.create_connection((HOST, door.http_port))
    plain.sendall(f"GET /stories/ HTTP/1.1\r\nHost: {HOST}:{door.http_port}\r\nConnection: close\r\n\r\n".encode())
    assert f"Location: https://{HOST}:{door.https_port}/stories/" in plain.recv(4096).decode()
    plain.close()

    logs = {path.name: path.read_text() for path in door.folder.rglob("*.log")}
    assert "/my-story/[key]/" in logs["gunicorn.access.log"] and "/my-story/[key]/" in logs["voicebox.access.log"]
    assert not [name for name, text in logs.items() if key in text]


def test_nginx_serves_static_and_public_media_itself(door):
    page = Visitor(door).get(a_story_page(door)).body
    static_path = re.search(r'(/static/[^"]+\.css)"', page)[1]
    before = (door.folder / "gunicorn.access.log").read_text().count(static_path)
    static = Visitor(door).get(static_path)
    assert static.status == 200 and static.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert (door.folder / "gunicorn.access.log").read_text().count(static_path) == before

    media_root = door.folder / "var" / "media"
    media_root.mkdir(parents=True, exist_ok=True)  # the demo site has no public images yet
    (media_root / "front-door-check.txt").write_text("public file")
    media = Visitor(door).get("/media/front-door-check.txt")
    assert media.status == 200 and media.body == "public file"
    assert "sandbox" in media.headers["Content-Security-Policy"]


def trickle_upload(door: FrontDoor, stop: threading.Event) -> None:
    """A client sending a share-form upload at one byte a second, as the probe's slow clients did."""
    context = ssl.create_default_context(cafile=str(door.folder / "cert.pem"))
    with context.wrap_socket(socket.create_connection((HOST, door.https_port)), server_hostname=HOST) as conn:
        conn.sendall(
            (
                f"POST /share/story/ HTTP/1.1\r\nHost: {HOST}:{door.https_port}\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000\r\n\r\n"
            ).encode()
        )
        while not stop.wait(1):
            conn.sendall(b"x")


def test_slow_trickling_uploads_do_not_starve_readers(door):
    story = a_story_page(door)
    stop = threading.Event()
    # More tricklers than gunicorn has workers: with sync workers and no buffering proxy, two were enough.
    story_posts = (door.folder / "gunicorn.access.log").read_text().count("POST /share/story/")
    tricklers = [threading.Thread(target=trickle_upload, args=(door, stop)) for _ in range(4)]
    for thread in tricklers:
        thread.start()
    try:
        time.sleep(3)  # the uploads are under way
        timings = []
        for _ in range(8):
            reader = Visitor(door, timeout=20)
            started = time.monotonic()
            response = reader.get(story)
            timings.append(time.monotonic() - started)
            assert response.status == 200
            time.sleep(1)
        # The trickling bodies are still in nginx's hands: gunicorn has not seen a single one of them.
        assert (door.folder / "gunicorn.access.log").read_text().count("POST /share/story/") == story_posts
    finally:
        stop.set()
        for thread in tricklers:
            thread.join()
    assert max(timings) < 3, timings  # generous for a shared, loaded machine; starved readers wait until timeout


def attempts_until_locked(door: FrontDoor, source: str, spoof: bool) -> int:
    for attempt in range(1, 3 * LOCKOUT_LIMIT):
        visitor = Visitor(door, source=source, forwarded_for=f"203.0.113.{attempt}" if spoof else None)
        visitor.get("/admin/login/")
        response = visitor.post("/admin/login/", {"username": "mo", "password": f"guess {attempt}"})
        if response.status == 429:
            return attempt
        assert response.status == 200
    return 3 * LOCKOUT_LIMIT


def sign_in(door: FrontDoor, source: str) -> int:
    visitor = Visitor(door, source=source)
    visitor.get("/admin/login/")
    return visitor.post("/admin/login/", {"username": "mo", "password": MODERATOR_PASSWORD}).status


def test_the_admin_lockout_holds_per_real_client_behind_the_proxy(door):
    # A guesser rotating a made-up X-Forwarded-For entry gets no more guesses than the limit ...
    assert attempts_until_locked(door, "127.0.0.2", spoof=True) == LOCKOUT_LIMIT
    # ... and stays locked out, right password or not, whatever it writes in the header,
    assert sign_in(door, "127.0.0.2") == 429
    # while the moderator, from their own address through the same proxy, signs in.
    assert sign_in(door, "127.0.0.3") == 302
