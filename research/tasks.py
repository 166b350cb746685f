"""Background job: run theme discovery over the stories (queued by `discover_themes --queue` or a scheduler)."""

from django_tasks import task

from .runs import run_discovery


@task()
def discover_themes() -> dict:
    """Run discovery; the result says what was found, never any story's words."""
    run = run_discovery()
    return {"run": run.pk, "stories": run.story_count, "themes": run.theme_count, "outliers": run.outlier_count}
