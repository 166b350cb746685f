"""Configuration: the embedded default, production's refusal to start half-configured, check --deploy, and CSP."""

import os
import secrets
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.core.files.storage import storages
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

from tests.services import ROOT, base_settings


def run_manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with only these Voicebox variables (plus PATH and HOME)."""
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(ROOT)), **variables}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = "voicebox.settings.production"


def test_embedded_default_needs_no_configuration():
    configured = base_settings()

    assert configured["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert configured["STORAGES"]["default"]["BACKEND"] == "stories.storage.CleanFileSystemStorage"
    assert configured["STORAGES"]["private"]["BACKEND"] == "stories.storage.CleanFileSystemStorage"
    assert configured["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert set(configured["TASKS"]["default"]["QUEUES"]) == {"default", "publication", "transcription"}
    assert configured["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    # Private files sit outside MEDIA_ROOT, so no static or media URL can ever reach them.
    private_root = configured["STORAGES"]["private"]["OPTIONS"]["location"]
    assert not str(private_root).startswith(str(configured["MEDIA_ROOT"]))


def test_scale_out_parts_come_from_environment_variables_alone():
    configured = base_settings(
        DATABASE_URL="postgres://voicebox@db.example.org:5432/voicebox",
        REDIS_URL="redis://cache.example.org:6379/0",
        TASK_BACKEND="rq",
        S3_BUCKET="voicebox",
        S3_ENDPOINT_URL="https://s3.example.org",
    )

    assert configured["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert configured["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert configured["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert set(configured["RQ_QUEUES"]) == {"default", "publication", "transcription"}
    assert {"django_rq", "django_tasks_rq"} <= set(configured["INSTALLED_APPS"])
    assert configured["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert configured["STORAGES"]["private"]["OPTIONS"]["querystring_auth"] is True


def test_the_embedded_default_is_what_the_first_test_run_uses():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("This run was given DATABASE_URL; the embedded default is checked in the run without it.")
    assert type(storages["default"]).__name__ == "CleanFileSystemStorage"
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.parametrize("value", ["", "too-short", "a" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(value):
    result = run_manage("check", DJANGO_SETTINGS_MODULE=PRODUCTION, SECRET_KEY=value, ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "SECRET_KEY must be set to a random value of at least 50 characters in production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_SETTINGS_MODULE=PRODUCTION, SECRET_KEY=secrets.token_urlsafe(64))

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name the host names Voicebox is served on" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="voicebox.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_links_point_at_the_public_host():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL, settings.DEBUG)",
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="voicebox.example.org,www.voicebox.example.org",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("https://voicebox.example.org False")


@pytest.mark.django_db
def test_public_pages_carry_the_strict_content_security_policy(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_admin_is_served_under_its_own_policy(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    # As strict as the public one, except that the page editor's live preview frames the admin (tests/test_two_step).
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_a_frontend_cache_gets_purge_requests_for_changed_pages():
    configured = base_settings(FRONTEND_CACHE_PURGE_URL="http://127.0.0.1:1")
    assert "wagtail.contrib.frontend_cache" in configured["INSTALLED_APPS"]
    purged = []

    class PurgeReceiver(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
            purged.append((self.headers["Host"], self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), PurgeReceiver) as proxy:
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        backend = configured["WAGTAILFRONTENDCACHE"]
        backend["default"]["LOCATION"] = f"http://127.0.0.1:{proxy.server_address[1]}"
        # The task Wagtail queues on publish and unpublish, run here directly.
        purge_urls_from_cache_task.call(["https://voicebox.example.org/stories/a-story/"], backend)
        proxy.shutdown()

    # The page's address in every interface language: a CDN keeps each language's copy (base.frontend_cache).
    assert sorted(purged) == [
        ("voicebox.example.org", "/cy/stories/a-story/"),
        ("voicebox.example.org", "/es/stories/a-story/"),
        ("voicebox.example.org", "/stories/a-story/"),
    ]


def test_every_model_change_has_its_migration():
    """A model changed without its migration would migrate a fresh site to tables and choices that differ from the
    code's (makemigrations --check, as a release would run it)."""
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
