"""Tasks the queue tests enqueue: importable by a real worker process, with an outcome the test can check."""

from django_tasks import task


@task(queue_name="transcription")
def count_words(text: str) -> int:
    return len(text.split())


@task()
def fail_kindly() -> None:
    raise ValueError("This task fails on purpose.")
