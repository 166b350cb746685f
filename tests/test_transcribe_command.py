"""`manage.py transcribe FILE [--model NAME] [--json] [--language xx]`, run as an operator runs it."""

import json
import subprocess
import sys

import pytest

from tests.speech_samples import ROOT, silence, word_error_rate

pytestmark = pytest.mark.whisper


def transcribe(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "transcribe", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_json_output(packaged_speech):
    wav, text = packaged_speech
    result = transcribe(str(wav), "--model", "tiny.en", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload.keys() == {"language", "duration", "segments"}
    assert payload["language"] == "en" and payload["duration"] == pytest.approx(30.0, abs=0.1)
    assert word_error_rate(text, " ".join(s["text"] for s in payload["segments"])) <= 0.4
    word = payload["segments"][0]["words"][0]
    assert word.keys() == {"start", "end", "word", "probability"}


def test_plain_output_with_a_stated_language(packaged_speech):
    result = transcribe(str(packaged_speech[0]), "--model", "tiny.en", "--language", "en")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("[") and "→" in line for line in lines)
    assert "Chicago" in result.stdout


def test_no_speech_and_errors(tmp_path):
    quiet = transcribe(str(silence(tmp_path / "quiet.wav", seconds=5)), "--model", "tiny.en")
    assert (quiet.returncode, quiet.stdout.strip()) == (0, "No speech detected.")
    missing = transcribe(str(tmp_path / "nowhere.ogg"))
    assert missing.returncode == 1 and "There is no file" in missing.stderr
    unknown = transcribe(str(tmp_path / "quiet.wav"), "--model", "huge")
    assert unknown.returncode == 1 and "neither a known model name" in unknown.stderr
