"""PostgreSQL for real: tests/run_suite.py runs these (and every `production_parts` test) a second time with
DATABASE_URL pointing at PostgreSQL, TASK_BACKEND=rq and REDIS_URL, exactly as an operator scales out."""

import threading
import uuid

import django_rq
import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django_tasks import task_backends
from rq import SimpleWorker
from wagtail.search.backends import get_search_backend

from contributions.submission import AlreadySubmitted, Submission, submit_story
from demo.content import ensure_consent_text, ensure_home_page, ensure_story_index
from moderation.models import ConsentRecord, Contribution
from moderation.publication import request_publication
from stories import search
from stories.listing import StoryFilters
from stories.models import StoryPage
from tests.workers import run_queue

pytestmark = [pytest.mark.postgres, pytest.mark.production_parts]


@pytest.fixture(autouse=True)
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("This run uses SQLite; tests/run_suite.py runs these again with DATABASE_URL on PostgreSQL.")


def a_submission(text: str, token: str | None = None) -> Submission:
    return Submission(
        title="What the allotment gave me",
        text=text,
        media=None,
        stated_language="en",
        consent_text=ensure_consent_text(),
        audience=ConsentRecord.Audience.PUBLIC,
        identity=ConsentRecord.Identity.PSEUDONYM,
        media_use=ConsentRecord.MediaUse.PUBLISH_MEDIA,
        research_use=False,
        expires_on=None,
        minimal_edits_preauthorised=False,
        display_name="Jo",
        email="",
        idempotency_key=token or uuid.uuid4().hex,
    )


@pytest.fixture
def story_index(db):
    return ensure_story_index(ensure_home_page())


def test_this_run_really_uses_postgresql_redis_and_rq():
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_")
    assert settings.TASK_BACKEND == "rq"
    assert type(task_backends["default"]).__name__ == "RQBackend"
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings.RQ_QUEUES["default"]["URL"] != settings.CACHES["default"]["LOCATION"]


@pytest.mark.django_db
def test_every_migration_is_applied():
    executor = MigrationExecutor(connection)

    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    tables = connection.introspection.table_names()
    assert {"stories_storypage", "moderation_contribution", "moderation_consentrecord"} <= set(tables)


@pytest.mark.django_db
def test_a_story_goes_from_submission_to_a_public_page_and_search(
    story_index, client, django_capture_on_commit_callbacks
):
    submitted = submit_story(a_submission("I grow kohlrabi now.\n\nThe allotment taught me patience."))

    contribution = Contribution.objects.for_key(submitted.key)
    assert contribution == submitted.contribution
    assert contribution.story.live is False
    assert contribution.consents.get().audience == ConsentRecord.Audience.PUBLIC
    assert client.get(contribution.story.url).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        request_publication(contribution)
    run_queue("publication")  # the publication travels through Redis to an RQ worker too
    page = StoryPage.objects.get(pk=contribution.story_id)

    response = client.get(page.url)
    assert response.status_code == 200
    assert "The allotment taught me patience." in response.content.decode()
    # Wagtail updates its search index in a task: here it travels through Redis to an RQ worker.
    queued = django_rq.get_queue("default").get_jobs()
    assert any(job.func_name.endswith("insert_or_update_object_task") for job in queued)
    # In this process, so the worker sees the test's (uncommitted) database transaction.
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)
    assert type(get_search_backend()).__name__ == "PostgresSearchBackend"
    assert list(StoryPage.objects.live().search("kohlrabi")) == [page.specific]
    # The words are matched through the index on the expression Wagtail's query uses (stories migration 0007).
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'voicebox_search_title_body_gin'")
        assert "gin (((title || body)))" in cursor.fetchone()[0]
    assert search.search_stories("kohlrabi patience", StoryFilters()).story_ids == [page.pk]


@pytest.mark.django_db
def test_a_repeated_form_token_makes_one_story(story_index):
    token = uuid.uuid4().hex
    submit_story(a_submission("The first click.", token))

    with pytest.raises(AlreadySubmitted):
        submit_story(a_submission("The second click.", token))

    assert Contribution.objects.filter(idempotency_key=token).count() == 1
    assert StoryPage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_with_one_token_make_one_story():
    ensure_story_index(ensure_home_page())
    token = uuid.uuid4().hex
    start = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            start.wait()
            submit_story(a_submission("Sent twice at the same moment.", token))
            outcomes.append("created")
        except AlreadySubmitted:
            outcomes.append("already submitted")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already submitted", "created"]
    assert Contribution.objects.filter(idempotency_key=token).count() == 1
    assert StoryPage.objects.count() == 1
