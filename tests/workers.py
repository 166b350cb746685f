"""The real django-tasks-db worker run inside the test process, so a test sees its database and its settings."""

from django_tasks_db.management.commands.db_worker import Worker


def drain_transcription_queue() -> None:
    """The worker's own loop over the transcription queue, until the queue is empty."""
    Worker(
        queue_names=["transcription"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
