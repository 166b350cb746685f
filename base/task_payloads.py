"""The payloads of a story's background tasks, and how erasure removes them from either queue backend.

Withdrawal leaves nothing behind, queued task payloads included. Every story task takes the story's id (or its
contribution's) as its first argument, so its payloads can be found by that. A task still waiting is deleted; one
being run right now only loses its arguments (the worker still has to record its end), and once it finds its story
gone and returns DISCARDED, `forget_discarded` deletes its row as it finishes.
"""

from collections.abc import Callable

from django_tasks import task_backends
from django_tasks.base import Task
from django_tasks.signals import task_finished

# What a story task returns when it found its story withdrawn (or its work taken over) and did nothing.
DISCARDED = "discarded"


def uses_database_queue(task: Task) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[task.backend], DatabaseBackend)


def delete_payloads(task: Task, first_arg: int) -> None:
    """Delete the queued results of `task` whose first argument is `first_arg`, on whichever backend it uses."""
    if uses_database_queue(task):
        # django-tasks-db is an installed app only with the database backend: imported where it is used.
        from django_tasks_db.models import DBTaskResult

        payloads = DBTaskResult.objects.filter(task_path=task.module_path, args_kwargs__args__0=first_arg)
        payloads.filter(status="RUNNING").update(args_kwargs={"args": [], "kwargs": {}})
        payloads.exclude(status="RUNNING").delete()
    else:
        _delete_rq_jobs(task, lambda args: list(args[:1]) == [first_arg])


def delete_waiting(task: Task, args: list) -> None:
    """Delete the runs of `task` with exactly these arguments that no worker has started, on either backend."""
    if uses_database_queue(task):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(task_path=task.module_path, args_kwargs__args=args).exclude(
            status="RUNNING"
        ).delete()
    else:
        _delete_rq_jobs(task, lambda job_args: list(job_args) == args)


def _delete_rq_jobs(task: Task, matches: Callable[[tuple], bool]) -> None:
    # Only installed with TASK_BACKEND=rq: imported where it is used.
    import django_rq
    from rq.job import Job, JobStatus

    queue = django_rq.get_queue(task.queue_name)
    job_ids = set(queue.get_job_ids()) | set(queue.scheduled_job_registry.get_job_ids())
    job_ids |= set(queue.finished_job_registry.get_job_ids()) | set(queue.failed_job_registry.get_job_ids())
    for rq_job in Job.fetch_many(list(job_ids), connection=queue.connection):
        if (
            rq_job
            and rq_job.func_name == task.module_path
            and matches(rq_job.args)
            and rq_job.get_status() != JobStatus.STARTED
        ):
            rq_job.delete()


def forget_discarded(task: Task) -> None:
    """From now on, a run of `task` that returns DISCARDED leaves no row in the database queue behind."""

    def forget(sender, task_result, **kwargs) -> None:
        if task_result.task.module_path != task.module_path or not uses_database_queue(task):
            return
        if task_result.status == "SUCCESSFUL" and task_result.return_value == DISCARDED:
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.filter(id=task_result.id).delete()

    task_finished.connect(forget, weak=False, dispatch_uid=f"forget-discarded-{task.module_path}")
