"""`manage.py discover_themes`: find emerging themes in the stories now, or queue the job for the worker; or, with
`--input FILE --json`, run the site's very method over stories given as JSON lines, touching no database.

The file has one story per line: {"id": ..., "text": ..., "language": ...}. The answer, on standard output, is
{"themes": [{"ids": [...], "terms": [...]}, ...], "outliers": [...]}, with the ids as given: a way to judge the
method from outside, on labelled writing the developers never saw. The method used is written to standard error.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from research.discovery import Document, discover


class Command(BaseCommand):
    help = "Group stories by what they say into emerging themes (characteristic words, stories, quotes)."
    # With --input nothing may touch the database: not even the system checks.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="Queue the job for the task worker instead.")
        parser.add_argument("--input", type=Path, help="Stories as JSON lines (id, text, language); no database.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="With --input: print JSON.")

    def handle(self, *args, queue: bool, input: Path | None, as_json: bool, **options):
        if input is not None:
            self._discover_file(input, as_json=as_json)
            return
        if as_json:
            raise CommandError("--json goes with --input FILE.")
        self.check()
        from research.runs import run_discovery
        from research.tasks import discover_themes

        if queue:
            result = discover_themes.enqueue()
            self.stdout.write(f"Theme discovery queued (task {result.id}).")
            return
        started = time.perf_counter()
        run = run_discovery()
        self.stdout.write(
            f"Read {run.story_count} stories in {time.perf_counter() - started:.1f} s: "
            f"{run.theme_count} themes, {run.outlier_count} stories that fit no theme."
        )
        if note := run.parameters.get("note"):
            self.stderr.write(note)

    def _discover_file(self, path: Path, *, as_json: bool) -> None:
        ids, documents = [], []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                story = _story(line)
            except ValueError as error:
                raise CommandError(f"{path}, line {number}: {error}") from error
            # Positions stand in for the given ids inside discovery; the answer gives the ids back.
            ids.append(story["id"])
            documents.append(Document(len(documents), story["text"], story["language"], public=True))
        started = time.perf_counter()
        result = discover(documents)
        seconds = time.perf_counter() - started
        self.stderr.write(
            f"Method {result.method}: {len(result.themes)} themes, {len(result.outlier_ids)} outliers "
            f"from {len(documents)} stories in {seconds:.1f} s. {result.note}".rstrip()
        )
        answer = {
            "themes": [
                {"ids": [ids[position] for position in theme.story_ids], "terms": list(theme.terms)}
                for theme in result.themes
            ],
            "outliers": [ids[position] for position in result.outlier_ids],
        }
        if as_json:
            self.stdout.write(json.dumps(answer, ensure_ascii=False))
        else:
            for number, theme in enumerate(answer["themes"], start=1):
                self.stdout.write(f"Theme {number} ({len(theme['ids'])} stories): {', '.join(theme['terms'][:5])}")
            self.stdout.write(f"{len(answer['outliers'])} stories fit no theme.")


def _story(line: str) -> dict:
    try:
        story = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg})") from error
    if not isinstance(story, dict) or "id" not in story or not isinstance(story.get("text"), str):
        raise ValueError('each line needs an "id" and a "text"')
    language = story.get("language") or "en"
    if not isinstance(language, str):
        raise ValueError('"language" must be a language code such as "en"')
    return {"id": story["id"], "text": story["text"], "language": language}
