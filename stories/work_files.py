"""Working files of media intake and publishing, named so that a sweeper can find them, and the sweeper.

Uploads stream to FILE_UPLOAD_TEMP_DIR (Django names them `tmp….upload…`), and intake and publishing copy, remux
and encode in working files and folders there (named `voicebox-…`). A web process or worker killed mid-upload or
mid-encode leaves them behind for ever; `sweep_stale_work_files` removes those older than any upload or encode can
take, and touches nothing else in the folder (which is the system's temporary folder unless configured).
"""

import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings

PREFIX = "voicebox-"


def work_file(suffix: str):
    return tempfile.NamedTemporaryFile(prefix=PREFIX, suffix=suffix, dir=settings.FILE_UPLOAD_TEMP_DIR)


def work_dir():
    return tempfile.TemporaryDirectory(prefix=PREFIX, dir=settings.FILE_UPLOAD_TEMP_DIR)


def _ours(path: Path) -> bool:
    name = path.name
    return name.startswith(PREFIX) or (name.startswith("tmp") and ".upload" in name and path.is_file())


def sweep_stale_work_files(older_than: timedelta) -> int:
    """Remove upload and working files and folders last changed before `older_than` ago; returns how many."""
    root = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    cut_off = time.time() - older_than.total_seconds()
    removed = 0
    for path in root.iterdir():
        try:
            if not _ours(path) or path.lstat().st_mtime >= cut_off:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
        except FileNotFoundError:
            continue  # its own process finished with it meanwhile
    return removed
