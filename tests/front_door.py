"""The production front door on loopback: Debian's nginx with deploy/nginx/voicebox.conf in front of gunicorn with
deploy/gunicorn.conf.py, both as shipped; only ports, paths and a self-signed certificate are filled in.

Used by tests/test_front_door.py and bench/share_load.py. A `Visitor` talks HTTPS to nginx from a loopback source
address of its choosing (all of 127.0.0.0/8 is this machine), so tests can be several real clients behind the proxy.
"""

import datetime
import http.client
import ipaddress
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
HOST = "127.0.0.1"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class FrontDoor:
    """A deployment of its own in `folder`: settings from the environment, as the systemd units give them."""

    def __init__(self, folder: Path, *, trusted_proxies: int = 1, workers: int = 2, extra_env: dict | None = None):
        self.folder = folder
        self.https_port, self.http_port, self.app_port = free_port(), free_port(), free_port()
        self.base = f"https://{HOST}:{self.https_port}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "REDIS_URL", "TASK_BACKEND", "TASK_REDIS_URL", "DJANGO_SETTINGS_MODULE")
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="voicebox.settings.production",
            VOICEBOX_VAR_DIR=str(folder / "var"),
            STATIC_ROOT=str(folder / "static"),
            SECRET_KEY=secrets.token_urlsafe(64),
            ALLOWED_HOSTS=f"{HOST},localhost",
            TRUSTED_PROXY_COUNT=str(trusted_proxies),
            GUNICORN_BIND=f"{HOST}:{self.app_port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_ACCESS_LOG=str(folder / "gunicorn.access.log"),
            GUNICORN_ERROR_LOG=str(folder / "gunicorn.error.log"),
            EMAIL_URL="dummymail://",
            **(extra_env or {}),
        )
        self.processes: list[subprocess.Popen] = []
        self.tls = ssl.create_default_context()

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        ).stdout

    def prepare(self) -> None:
        """A release as README's deployment steps make it: migrate, collect the static files (production pages name
        their hashed copies from the manifest), then the demo site (a home page, the story index and stories)."""
        self.manage("migrate", "--no-input", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")
        self.manage("load_demo")

    def nginx_conf(self) -> Path:
        cert, key = self_signed_certificate(self.folder)
        self.tls.load_verify_locations(cert)
        logs = self.folder / "nginx"
        logs.mkdir(exist_ok=True)
        site = self.folder / "voicebox.conf"
        site.write_text(
            subprocess.run(
                [
                    sys.executable,
                    str(DEPLOY / "render_nginx.py"),
                    f"--certificate={cert}",
                    f"--certificate-key={key}",
                    f"--upstream={HOST}:{self.app_port}",
                    f"--listen-address={HOST}",
                    f"--http-port={self.http_port}",
                    f"--https-port={self.https_port}",
                    f"--log-dir={logs}",
                ],
                cwd=ROOT,
                env=self.env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        # The main nginx.conf Debian ships, cut down to what a process of our own needs: its own pid file, error
        # log and temp folders; the site file is included unchanged, as /etc/nginx/sites-enabled/ would be.
        main = self.folder / "nginx.conf"
        temp = logs / "temp"
        main.write_text(
            f"""worker_processes 2;
pid {logs}/nginx.pid;
error_log {logs}/error.log warn;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""
        )
        temp.mkdir(exist_ok=True)
        return main

    def start(self) -> None:
        main = self.nginx_conf()
        subprocess.run([NGINX, "-t", "-c", str(main)], check=True, capture_output=True)
        self._spawn([sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"), "voicebox.wsgi"])
        self._spawn([NGINX, "-c", str(main), "-g", "daemon off;"])
        try:
            self.wait_until_up()
        except RuntimeError:
            self.stop()  # leave no nginx or gunicorn behind when the other one did not come up
            raise

    def start_worker(self, *queue_args: str) -> None:
        self._spawn([sys.executable, "manage.py", *queue_args])

    def _spawn(self, command: list[str]) -> None:
        log = open(self.folder / f"process-{len(self.processes)}.log", "wb")  # noqa: SIM115 (kept open while it runs)
        self.processes.append(subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log))

    def wait_until_up(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[0]} stopped; see {self.folder}/process-*.log")
            try:
                if Visitor(self).get("/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the site did not answer through nginx within {seconds} s")

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: str):
        self.status, self.headers, self.body = status, headers, body


class Visitor:
    """A browser-like client: one keep-alive HTTPS connection to nginx from `source`, cookies, Referer for CSRF."""

    def __init__(self, door: FrontDoor, source: str = HOST, forwarded_for: str | None = None, timeout: float = 60):
        self.door, self.source, self.forwarded_for, self.timeout = door, source, forwarded_for, timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPSConnection | None = None

    def request(self, method: str, path: str, fields: dict | None = None) -> Response:
        headers = {"Host": f"{HOST}:{self.door.https_port}", "Referer": self.door.base + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        body = None
        if fields is not None:
            body = urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a kept-alive connection the server has closed is opened again once
            if self.connection is None:
                self.connection = http.client.HTTPSConnection(
                    HOST,
                    self.door.https_port,
                    context=self.door.tls,
                    timeout=self.timeout,
                    source_address=(self.source, 0),
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return Response(response.status, response.headers, text)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: dict) -> Response:
        return self.request("POST", path, fields)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html)[1]


class StepFailed(AssertionError):
    def __init__(self, step: str, method: str, path: str, response: Response):
        super().__init__(f"{step}: {method} {path} answered {response.status}: {response.body[:300]}")
        self.step, self.status = step, response.status


STEPS = ("how", "story", "choices", "check", "submit", "my story")


def share_written_story(visitor: Visitor, title: str, timings: dict[str, list[float]] | None = None) -> str:
    """Walk the share flow as a person writing a story; returns the story key the done page shows.

    Each step's status is checked (a redirect onward, or the page); `timings` collects seconds per step.
    """

    def step(name: str, method: str, path: str, fields: dict | None = None, expect: int = 302) -> Response:
        started = time.monotonic()
        response = visitor.request(method, path, fields)
        if timings is not None:
            timings.setdefault(name, []).append(time.monotonic() - started)
        if response.status != expect:
            raise StepFailed(name, method, path, response)
        return response

    visitor.get("/share/")  # the CSRF cookie, as a browser would get it with the page
    step("how", "POST", "/share/", {"method": "write"})
    # The form's clock starts when the server answers this first step (however long it queued): count from here.
    walk_started = time.monotonic()
    text = f"{title}. The first winter was the hardest.\n\nThen a peer worker sat with me."
    step("story", "POST", "/share/story/", {"title": title, "text": text, "language": "en"})
    choices_page = visitor.get("/share/choices/").body
    step(
        "choices",
        "POST",
        "/share/choices/",
        {
            "consent_version": hidden(choices_page, "consent_version"),
            "audience": "both",
            "identity": "anonymous",
            "expires_on": "",
            "minimal_edits": "yes",
            "agree": "on",
        },
    )
    # A person takes longer than the form's minimum fill time (3 s from the first step) to read the check page.
    time.sleep(max(0.0, 3.5 - (time.monotonic() - walk_started)))
    check = step("check", "GET", "/share/check/", expect=200).body
    done = step(
        "submit", "POST", "/share/check/", {"started": hidden(check, "started"), "token": hidden(check, "token")}
    )
    done_page = visitor.get(done.headers["Location"]).body
    key = re.search(r"/my-story/([^/\"<\s]+)/", done_page)[1]
    step("my story", "GET", f"/my-story/{key}/", expect=200)
    return key
