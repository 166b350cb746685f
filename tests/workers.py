"""The tests' one queue runner: the real workers run inside the test process, so a test sees its database and its
settings.

`run_queue` runs what is ready on one queue the way the worker runs each task, whichever backend the run uses:
django-tasks-db's own worker on the database queue, RQ's worker on Redis (the production-parts run). Inside a test's
transaction it runs each task in that transaction; in a transactional test it runs the database worker's whole loop.
"""

import django_rq
from django.conf import settings
from django.db import connection
from django.test import TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from rq import SimpleWorker


def _database_worker(queue_names: list[str]) -> Worker:
    return Worker(
        queue_names=queue_names,
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def run_queue(queue_name: str) -> None:
    """Run every task ready on `queue_name` now (not those waiting for a later time), as the worker runs each."""
    if settings.TASK_BACKEND == "rq":
        # RQ's worker that runs each job in this process (no fork), with django-tasks-rq's job class.
        with TestCase.captureOnCommitCallbacks(execute=True):
            django_rq.get_worker(queue_name, worker_class=SimpleWorker).work(burst=True)
        return
    if not connection.in_atomic_block:
        # A transactional test: nothing to protect, so the worker's own loop runs, connection handling included.
        _database_worker([queue_name]).run()
        return
    # The worker's own claim-and-run for each task, without its loop's connection handling (which would close the
    # connection of a test running inside a transaction).
    worker = _database_worker([queue_name])
    while result := DBTaskResult.objects.ready().filter(queue_name=queue_name).order_by("enqueued_at").first():
        result.claim(worker.worker_id)
        # What the task does once its transactions commit (deleting files, queueing a retry, sending email) happens
        # as the task ends, as in the worker, even inside the test's transaction.
        with TestCase.captureOnCommitCallbacks(execute=True):
            worker.run_task(result)
