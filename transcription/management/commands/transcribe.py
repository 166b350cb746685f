"""`manage.py transcribe FILE`: run the engine on one file and print the transcript (for operators, and for checking
the engine from outside the application)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transcription import engine
from transcription.weights import ModelUnavailable


class Command(BaseCommand):
    help = "Transcribe an audio or video file with Whisper and print the transcript."
    # It touches neither the database nor the web side, so it need not wait for their checks.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--model", help='A model name ("base", "tiny.en") or a CTranslate2 model directory.')
        parser.add_argument("--language", help='The spoken language (e.g. "en"); detected when left out.')
        parser.add_argument("--json", action="store_true", help="Print JSON: language, duration, segments, words.")

    def handle(self, *args, file: Path, model: str | None, language: str | None, json: bool, **options):
        if not file.is_file():
            raise CommandError(f"There is no file at {file}.")
        try:
            transcript = engine.transcribe(
                file, language=language, options=engine.EngineOptions.from_settings(model=model)
            )
        except (ModelUnavailable, engine.MediaUnreadable) as error:
            raise CommandError(str(error)) from error
        if json:
            self.stdout.write(_as_json(transcript))
        elif not transcript.has_speech:
            self.stdout.write("No speech detected.")
        else:
            for segment in transcript.segments:
                self.stdout.write(f"[{segment.start:8.2f} → {segment.end:8.2f}] {segment.text}")


def _as_json(transcript: engine.Transcript) -> str:
    payload = {
        "language": transcript.language,
        "duration": transcript.duration,
        "segments": transcript.segments_as_json(),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
