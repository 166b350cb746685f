"""The set-up contract: README's two commands, `make run` on a fresh machine, and a suite that cannot pass empty."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.client import HTTPResponse
from pathlib import Path

import pytest

from tests.services import ROOT

BIN = Path(sys.executable).parent


def test_readme_starts_with_exactly_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```[a-z]*\n(.*?)```", readme, re.DOTALL)

    assert first_block is not None and readme.index("```") < readme.index("\n## ")
    assert first_block.group(1).split("\n")[:-1] == ["make run", "make test"]


def test_every_environment_variable_is_documented_in_env_example():
    settings_source = (ROOT / "voicebox" / "settings" / "base.py").read_text()
    read = set(re.findall(r"env\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", settings_source))
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))

    assert read, "the settings read their configuration through environs"
    assert read - documented == set()


def test_only_the_base_settings_read_the_environment():
    for module in (ROOT / "voicebox" / "settings").glob("*.py"):
        if module.name != "base.py":
            assert "env." not in module.read_text() and "environ" not in module.read_text(), module.name


def test_a_run_that_collects_no_tests_fails():
    result = subprocess.run(
        [sys.executable, "tests/run_suite.py", "tests/test_setup_contract.py", "-k", "no_test_has_this_name", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 5, result.stdout + result.stderr
    assert "no tests were collected, which counts as a failure" in result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, bytes]:
    """GET without following redirects, the way a browser's first request sees the answer."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        response: HTTPResponse = opener.open(url, timeout=30)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    with response:
        return response.status, dict(response.headers), response.read()


def answers(url: str) -> bool:
    try:
        fetch(url)
    except OSError:
        return False
    return True


def wait_until(condition, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, "honcho stopped early"
        assert time.monotonic() < deadline, f"not done within {seconds} s"
        time.sleep(1)


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, frontier = set(), [pid]
    while frontier:
        for child in children.get(frontier.pop(), []):
            found.add(child)
            frontier.append(child)
    return found


def alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def fresh_installation(tmp_path):
    """What `make run` does before it starts the processes: migrate and load the demo into an empty var/."""
    environment = {**os.environ, "VOICEBOX_VAR_DIR": str(tmp_path / "var"), "VOICEBOX_ADMIN_PASSWORD": ""}
    environment.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py's own default: the dev settings
    for command in (["migrate", "--noinput"], ["load_demo"], ["ensure_local_admin"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "left out" not in done.stderr, done.stderr
    assert re.search(r"User: admin\s+Password: \S+", done.stdout), "the local admin's password is printed once"
    return environment


def test_make_run_serves_the_site_and_ctrl_c_stops_every_process(fresh_installation):
    port = free_port()
    honcho = subprocess.Popen(
        [str(BIN / "honcho"), "start", "--procfile", "Procfile.dev"],
        cwd=ROOT,
        env={**fresh_installation, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: answers(base + "/"), honcho)
        status, _, home = fetch(base + "/")
        assert status == 200
        assert b"Voicebox" in home
        status, _, listing = fetch(base + "/stories/")
        assert status == 200
        assert b'href="/stories/reading-aloud-at-night/"' in listing
        status, headers, _ = fetch(base + "/admin/")
        assert status == 302 and "/admin/login/" in headers["Location"]
        status, _, story = fetch(base + "/stories/reading-aloud-at-night/")
        assert status == 200
        media_path = re.search(rb'src="(/story-media/[^"]+)"', story).group(1).decode()
        status, headers, audio = fetch(base + media_path)
        assert status == 200
        assert headers["Content-Type"].startswith("audio/")
        assert len(audio) > 100_000
        assert fetch(base + "/share/")[0] == 200
        # Wagtail indexes pages for search in background tasks: the worker has to run them for search to find this.
        wait_until(lambda: b"/stories/i-dont-do-recovery/" in fetch(base + "/search/?q=allotment")[2], honcho)
        workers = descendants(honcho.pid)
        assert len(workers) >= 2, "web and worker processes run under honcho"
    finally:
        os.killpg(honcho.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        output = honcho.communicate(timeout=60)[0].decode(errors="replace")

    assert honcho.returncode is not None
    assert not [pid for pid in workers if alive(pid)], output
    assert "web.1" in output and "worker.1" in output
