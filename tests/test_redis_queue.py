"""Redis for real: the RQ task backend with a real worker process, and the shared cache rate limits rely on."""

import os
import subprocess
import sys
import threading
import uuid

import django_rq
import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django_ratelimit.core import is_ratelimited
from django_tasks import TaskResultStatus, task_backends

from tests.conftest import require_service_in_ci
from tests.services import REDIS_URL, ROOT, TASK_REDIS_URL, base_settings, redis_reachable
from tests.tasks import count_words, fail_kindly

pytestmark = [pytest.mark.redis, pytest.mark.production_parts]


@pytest.fixture
def rq_backend():
    """The RQ backend as TASK_BACKEND=rq configures it: as is in the production-parts run, by override otherwise."""
    require_service_in_ci(redis_reachable(), f"Redis at {REDIS_URL}")
    if settings.TASK_BACKEND == "rq":
        yield settings.TASK_REDIS_URL
        return
    configured = base_settings(TASK_BACKEND="rq", REDIS_URL=REDIS_URL, TASK_REDIS_URL=TASK_REDIS_URL)
    with override_settings(TASKS=configured["TASKS"], RQ_QUEUES=configured["RQ_QUEUES"], RQ=configured["RQ"]):
        yield TASK_REDIS_URL


def run_rq_worker(queue_redis_url: str, *queues: str) -> subprocess.CompletedProcess:
    """A real worker process, started the way an operator starts one, that stops once the queues are empty."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "voicebox.settings.test",
        "TASK_BACKEND": "rq",
        "REDIS_URL": REDIS_URL,
        "TASK_REDIS_URL": queue_redis_url,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "rqworker", "--burst", *queues],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_task_travels_through_redis_to_a_real_worker(rq_backend):
    assert type(task_backends["default"]).__name__ == "RQBackend"

    result = count_words.enqueue("nothing about us without us")

    queue = django_rq.get_queue("transcription")
    assert result.id in queue.get_job_ids(), "the job waits in Redis until a worker takes it"
    worker = run_rq_worker(rq_backend, "transcription")
    assert worker.returncode == 0, worker.stderr
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
    assert result.id not in queue.get_job_ids()


def test_a_failed_task_is_recorded_as_failed(rq_backend):
    result = fail_kindly.enqueue()

    worker = run_rq_worker(rq_backend, "default")
    assert worker.returncode == 0, worker.stderr
    result.refresh()

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class_path == "builtins.ValueError"


@pytest.fixture
def redis_cache():
    require_service_in_ci(redis_reachable(), f"Redis at {REDIS_URL}")
    with override_settings(CACHES=base_settings(REDIS_URL=REDIS_URL)["CACHES"]):
        assert type(cache).__name__ != "LocMemCache"
        yield cache


def test_the_redis_cache_counts_atomically_across_threads(redis_cache):
    key = f"voicebox-test-counter-{uuid.uuid4().hex}"
    redis_cache.set(key, 0, timeout=60)

    def add_fifty():
        for _ in range(50):
            redis_cache.incr(key)

    threads = [threading.Thread(target=add_fifty) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert redis_cache.get(key) == 400
    redis_cache.delete(key)


def test_rate_limits_on_the_redis_cache_stop_the_sixth_request(redis_cache):
    request = RequestFactory().post("/share/", REMOTE_ADDR="203.0.113.7")
    group = f"voicebox-test-{uuid.uuid4().hex}"

    outcomes = [is_ratelimited(request, group=group, key="ip", rate="5/m", increment=True) for _ in range(6)]

    assert outcomes == [False] * 5 + [True]


def test_clearing_the_cache_keeps_the_queued_tasks(rq_backend, redis_cache):
    result = count_words.enqueue("the queue outlives the cache")

    redis_cache.clear()

    assert result.id in django_rq.get_queue("transcription").get_job_ids()
    django_rq.get_queue("transcription").remove(result.id)
