import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The shared recordings sit beside every CI checkout (../shared), but not beside a stranger's clone.
SHARED_SPEECH_DIR = Path(os.environ.get("VOICEBOX_SHARED_SPEECH", ROOT.parent / "shared" / "data" / "speech"))


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
