import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
# The shared recordings sit beside every CI checkout (../shared), but not beside a stranger's clone.
SHARED_SPEECH_DIR = Path(os.environ.get("VOICEBOX_SHARED_SPEECH", ROOT.parent / "shared" / "data" / "speech"))


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests restore the rows the data migrations made (Wagtail's root page and locale, the first
    consent text, groups, the workflow) instead of leaving the flushed database to the tests that follow."""
    for item in items:
        if not _is_transactional(item):
            continue
        marker = item.get_closest_marker("django_db")
        if marker:
            item.add_marker(
                pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}), False
            )
        elif "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the database's serialized contents on the connection class, not only on the connection object.

    Once Playwright's sync API has run, the test body runs in another context, where Django hands out a new
    connection object; without this, serialized rollback would find nothing to restore and the page tree would stay
    flushed for every transactional test that follows.
    """
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _ordinary_scheduling():
    """Each test ends with the test process back on the ordinary scheduler. The SVT-AV1 encoder (in PyAV's wheel,
    used to make AV1 test media) sets the calling thread to real-time (SCHED_FIFO 99) when it runs as root; a Chromium
    launched later from this process inherits that, and its busy threads then starve the whole machine (seen twice:
    load average 80, the suite stalled)."""
    yield
    if os.sched_getscheduler(0) != os.SCHED_OTHER:
        os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: on Redis (the production-parts pass) the cache outlives a rolled-back
    database, and a page cached by one test would otherwise be served to the next."""
    from django.core.cache import cache

    from stories.vector_index import vector_index

    cache.clear()
    # The in-process index of story vectors is kept per generation of public content, which a rolled-back test
    # database can reach again with other stories: each test starts with a fresh one.
    vector_index.cache_clear()


@pytest.fixture(autouse=True)
def _fixtures_publish_under_governance(request):
    """Fixtures that build a published story publish it directly, standing in for a recorded decision (the tests
    of publication itself run the real workflow). Tests marked `ungoverned` run as everyone else does: only what
    moderation.publication, erasure and expiry carry out may publish or unpublish a story (stories.governance)."""
    if request.node.get_closest_marker("ungoverned"):
        yield
        return
    from stories.governance import publishing_under_governance

    with publishing_under_governance():
        yield


@pytest.fixture
def story_index():
    """The story index at /stories/ under the default site's home page (tests.factories.site_tree)."""
    from tests.factories import site_tree

    return site_tree()[1]


@pytest.fixture
def index(story_index):
    """The public-site tests' name for the story index."""
    return story_index


@pytest.fixture(autouse=True)
def _interface_in_english():
    """A request in Welsh leaves Welsh active in its thread: every test starts in English, as a worker's task does."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def stored_files():
    """The files in private and public storage before the test, to see which it added or left behind."""
    from tests.sharing import StoredFiles

    return StoredFiles()


def require_service_in_ci(reachable: bool, what: str) -> None:
    """Skip a production-part test when its service is absent on a developer's machine; CI always has it."""
    if reachable:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not reachable, and CI must test it for real.")
    pytest.skip(f"{what} is not reachable on this machine; CI runs this test against the real service.")


@pytest.fixture(scope="session")
def shared_speech() -> Path:
    """The directory of real speech recordings with reference transcripts (FLEURS, see ../shared/data/README.md)."""
    if not (SHARED_SPEECH_DIR / "fleurs-en-000.ogg").exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the shared recordings at {SHARED_SPEECH_DIR}.")
        pytest.skip(
            f"The shared speech recordings are not at {SHARED_SPEECH_DIR} (they sit beside CI checkouts only); "
            "the rest of the suite runs the pipeline on audio the tests make themselves."
        )
    return SHARED_SPEECH_DIR


@pytest.fixture(scope="session")
def packaged_speech() -> tuple[Path, str]:
    """Real speech that needs no ../shared: (wav, reference transcript) from the pyannote-audio wheel on PyPI."""
    import subprocess

    from tests.speech_samples import packaged_conversation

    try:
        return packaged_conversation()
    except (subprocess.SubprocessError, OSError) as error:
        require_service_in_ci(False, f"PyPI (to fetch the pyannote-audio sample recording: {error})")


# What a full disk (below) still takes: less than any recording the tests send.
FULL_DISK_FREE_BYTES = 16 * 1024


@pytest.fixture
def full_disk(tmp_path):
    """A 1 MB tmpfs filled until only FULL_DISK_FREE_BYTES are left, so the kernel itself refuses a write part-way
    (tests/test_full_disk.py); yields its mount point, with the filler in it. Mounting needs root, as CI has."""
    import subprocess

    mount_point = tmp_path / "full-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)], capture_output=True, check=False
    )
    require_service_in_ci(mounted.returncode == 0, "Mounting a small tmpfs (root)")
    try:
        fs = os.statvfs(mount_point)
        (mount_point / "filler").write_bytes(b"\0" * (fs.f_bavail * fs.f_frsize - FULL_DISK_FREE_BYTES))
        yield mount_point
    finally:
        # Lazily, so a file someone left open on it can't keep the mount (the tests look for such leftovers).
        subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


@pytest.fixture
def private_storage_on_full_disk(full_disk, monkeypatch):
    """Story media stored on the full disk, by the storage class the private alias is configured with."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from stories.models import StoryMedia

    storage = import_string(settings.STORAGES["private"]["BACKEND"])(location=full_disk)
    monkeypatch.setattr(StoryMedia._meta.get_field("file"), "storage", storage)
    return full_disk
