"""Public web benchmark: a story page, the story index and search at 10,000 stories, against a static file.

    .venv/bin/python bench/web.py [--stories 10000] [--workers 2] [--seconds 15] [--connections 8]
                                  [--database-url postgres://...] [--redis-url redis://...]
                                  [--embed 200] [--profile 60] [--compare REV] [--keep DIR]

Builds a deployment of its own in a temporary directory (SQLite unless --database-url, local-memory cache unless
--redis-url), loads the stories (text and audio, with paragraphs and transcripts drawn from a fixed vocabulary, so
search has real work to do), indexes them for search, embeds them for search by meaning, and runs the app under
gunicorn with the production settings on 127.0.0.1. Embedding takes a fraction of a second per story on one core,
so the first --embed stories are embedded for real (their rate is printed) and every other story gets the stored
vectors of one of those: the index holds as many rows as if all had been embedded, and every search embeds its
query. wrk (apt-get install wrk) then measures, one after another:
- a story page (an audio story with its player and transcript; anonymous, so served from the public page cache),
  for a first visit (no cookies) and for a returning reader (with the CSRF cookie a browser keeps),
- the story index (/stories/, first page),
- search (/search/?q=..., never cached), twice: with new queries (a random one of 3,000 on each request, so nearly
  every query is embedded afresh) and with 20 popular queries asked again and again (their vectors kept by
  stories.embeddings.embed_query),
- the very bytes of that story page saved as a static file and served by the same server (WhiteNoise).
It prints requests per second and p50/p95 latency for each, the story page's throughput as a share of the static
file's (target ≥ 0.5) and search's p95 (target ≤ 150 ms). Run it by hand on an otherwise idle machine.

--profile N first times N searches in this process, before and after this tree's changes to a web process (numpy's
BLAS threads, recent queries' vectors kept), query by query, and part by part (the words' query, embedding the
query, scoring by meaning).
--compare REV also serves the very same deployment with the code of the git revision REV (a temporary worktree) and
measures the cached story page and search with both, one after the other, twice: before and after side by side,
under the same load; this tree's story page also in each other interface language (/cy/, /es/).
--keep DIR keeps the deployment in DIR and reuses it when DIR already holds one (loading takes minutes).
"""

import argparse
import itertools
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = Path(tempfile.mkdtemp(prefix="voicebox-web-bench-"))
STATIC_COPY = ROOT / "static_collected" / "bench" / "story-page.html"
HOST = "127.0.0.1"

WORDS = [
    "morning",
    "walk",
    "kitchen",
    "sister",
    "brother",
    "mother",
    "father",
    "friend",
    "nurse",
    "doctor",
    "ward",
    "bed",
    "window",
    "garden",
    "allotment",
    "tea",
    "letter",
    "phone",
    "bus",
    "train",
    "town",
    "city",
    "river",
    "sea",
    "park",
    "bench",
    "dog",
    "cat",
    "music",
    "song",
    "guitar",
    "painting",
    "notebook",
    "diary",
    "medication",
    "appointment",
    "waiting",
    "list",
    "referral",
    "therapy",
    "group",
    "peer",
    "worker",
    "crisis",
    "team",
    "support",
    "recovery",
    "voices",
    "anxiety",
    "panic",
    "sleep",
    "tired",
    "hope",
    "anger",
    "grief",
    "loss",
    "care",
    "carer",
    "family",
    "school",
    "college",
    "work",
    "job",
    "money",
    "housing",
    "benefits",
    "form",
    "queue",
    "shame",
    "fear",
    "courage",
    "laugh",
    "cry",
    "listen",
    "talk",
    "quiet",
    "loud",
    "heavy",
    "light",
    "slow",
    "fast",
    "small",
    "wins",
    "breathe",
    "rest",
    "hospital",
    "discharge",
    "community",
    "night",
    "shift",
    "weekend",
    "winter",
    "summer",
    "spring",
    "autumn",
    "rain",
    "sun",
    "cold",
    "warm",
]
NEW_QUERY_COUNT = 3000
POPULAR_QUERY_COUNT = 20
RETURNING_READER_CSRF = "bench" + "0123456789abcdefghijklmnopqrstuvwxyz"[:27]
SYLLABLES = [
    "ba",
    "ko",
    "ri",
    "ten",
    "mo",
    "la",
    "su",
    "vin",
    "dar",
    "pe",
    "lo",
    "nu",
    "sha",
    "gri",
    "fel",
    "tor",
    "mi",
    "wen",
    "ap",
    "os",
]


class Corpus:
    """Words with the long-tailed frequencies of real language (Zipf): the everyday words above come first and most
    often, then 4,000 made-up rarer ones, so a searched word is in some stories, not in all of them."""

    def __init__(self, rng: random.Random):
        rare = set()
        while len(rare) < 4000:
            rare.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))))
        self.words = list(dict.fromkeys(WORDS)) + sorted(rare)
        weights = [1 / rank for rank in range(1, len(self.words) + 1)]
        self.cumulative = list(itertools.accumulate(weights))
        self.rng = rng

    def sentence(self, length: int) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.cumulative, k=length)).capitalize() + "."

    def queries(self, count: int) -> list[str]:
        """Two-word searches among the words ranked 20 to 2,000: found in a few to a few hundred stories."""
        middle = self.words[20:2000]
        return sorted({f"{self.rng.choice(middle)}+{self.rng.choice(middle)}" for _ in range(count * 2)})[:count]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def configure(args) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "TASK_BACKEND"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="voicebox.settings.production",
        VOICEBOX_VAR_DIR=str(VAR),
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECURE_SSL_REDIRECT="false",
        RATELIMIT_ENABLE="false",
        EMBEDDINGS_THREADS="1",
    )
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url


def embed_stories(index, sample: int) -> None:
    """Embed the first `sample` stories (timed, one core); give the others copies of their vectors, in turn."""
    from stories.meaning import store_vectors
    from stories.models import StoryPage, StoryVector

    pages = list(StoryPage.objects.child_of(index).order_by("pk"))
    started = time.monotonic()
    for page in pages[:sample]:
        store_vectors(page)
    seconds = time.monotonic() - started
    print(f"  embedded {sample} stories in {seconds:.0f} s: {sample / seconds:.2f} stories/s on one core", flush=True)
    rows: dict[int, list] = {}
    for row in StoryVector.objects.filter(story__in=pages[:sample]).order_by("story_id", "kind", "position"):
        rows.setdefault(row.story_id, []).append(row)
    samples = [rows[page.pk] for page in pages[:sample]]
    copies = []
    for number, page in enumerate(pages[sample:]):
        for row in samples[number % sample]:
            copies.append(
                StoryVector(
                    story=page,
                    kind=row.kind,
                    position=row.position,
                    source=row.source,
                    first=row.first,
                    vector=row.vector,
                    text_digest=row.text_digest,
                    engine=row.engine,
                )
            )
    StoryVector.objects.bulk_create(copies, batch_size=2000)
    print(f"  {StoryVector.objects.count()} vectors stored for {len(pages)} stories", flush=True)


def load_stories(count: int, corpus: Corpus, embedded: int) -> str:
    """Create the site and `count` published stories; return the path of the audio story to measure."""
    from django.core.files import File
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models.signals import post_save
    from django.utils import timezone
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.models import Page, Site

    from stories.governance import publishing_under_governance
    from stories.media_publishing import make_published_copy
    from stories.models import HomePage, StoryIndexPage, StoryMedia, StoryPage, Theme
    from stories.search import refresh_search_statistics
    from tests import media_factory

    call_command("migrate", verbosity=0)
    rng = corpus.rng
    # The search index is rebuilt once at the end, not queued story by story.
    post_save.disconnect(post_save_signal_handler, sender=StoryPage)

    with tempfile.TemporaryDirectory() as directory:
        recording = media_factory.sine_tone(Path(directory) / "bench.ogg", seconds=60.0)
        media = StoryMedia(title="Benchmark recording", type="audio", duration=60.0)
        with recording.open("rb") as handle:
            media.file.save("bench.ogg", File(handle), save=False)
        media.save()
    make_published_copy(media)

    themes = [Theme.objects.create(name=f"{rng.choice(WORDS).title()} {number}") for number in range(30)]
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Voicebox", slug="voicebox-bench-home"))
    Site.objects.all().delete()
    Site.objects.create(hostname=HOST, port=80, root_page=home, is_default_site=True)
    index = home.add_child(instance=StoryIndexPage(title="Stories", slug="stories"))

    started = time.monotonic()
    now = timezone.now()
    for number in range(count):
        audio = number % 3 == 0
        transcript = []
        if audio:
            for line in range(20):
                start = line * 3.0
                transcript.append({"start": start, "end": start + 3.0, "text": corpus.sentence(12), "words": []})
        story = StoryPage(
            title=f"{corpus.sentence(4)[:-1]} ({number})",
            body=[("paragraph", corpus.sentence(60)) for _ in range(2 if audio else 6)],
            story_format="audio" if audio else "text",
            media=media if audio else None,
            transcript=transcript,
            language="en",
            live=True,
            first_published_at=now,
            last_published_at=now,
        )
        with transaction.atomic(), publishing_under_governance():  # standing in for moderation decisions
            index.add_child(instance=story)
            story.themes.set(rng.sample(themes, 2))
        if number % 1000 == 999:
            print(f"  {number + 1} stories ({time.monotonic() - started:.0f} s)", flush=True)
    call_command("update_index", verbosity=0)
    refresh_search_statistics()  # what publishing a story does (the stories here were loaded without publishing)
    embed_stories(index, embedded)
    call_command("collectstatic", interactive=False, verbosity=0)
    return story_path(index)


def story_path(index) -> str:
    from stories.models import StoryPage

    story = StoryPage.objects.child_of(index).filter(story_format="audio").order_by("pk").first()
    return story.url


def load_or_reuse(args, corpus: Corpus) -> str:
    """The path of the audio story to measure, in a deployment loaded now or kept from an earlier run (--keep)."""
    from stories.models import StoryIndexPage

    if args.keep and (VAR / "voicebox.sqlite3").exists():
        print(f"Reusing the deployment kept in {VAR}")
        return story_path(StoryIndexPage.objects.get(slug="stories"))
    print(f"Loading {args.stories} stories ...")
    return load_stories(args.stories, corpus, min(args.embed, args.stories))


def profile_search(queries: list[str], count: int) -> None:
    """Time `count` searches in this process, before and after (side by side, query by query) and part by part;
    print p50 and p95 of each in ms.

    Before is how a web process searched until 2026-12-06 in the two ways that can be switched here: numpy's BLAS
    with a thread per core, and every query embedded afresh. After, a web process has one BLAS thread
    (voicebox/wsgi.py) and keeps recent queries' vectors (stories.embeddings.embed_query): a new query is still
    embedded, a repeated one is not. The rest of the code is this tree's in both (--compare measures all of it).
    """
    from django.test import Client
    from threadpoolctl import threadpool_limits

    from stories import embeddings, search
    from stories.listing import StoryFilters
    from stories.models import StoryVector
    from stories.vector_index import vector_index

    def timed(function, *arguments) -> float:
        started = time.perf_counter()
        function(*arguments)
        return (time.perf_counter() - started) * 1000

    client, filters, index = Client(HTTP_HOST=HOST), StoryFilters(), vector_index()
    client.get("/search/", {"q": "warm up"})
    parts: dict[str, list[float]] = {}
    queries = [query.replace("+", " ") for query in queries[: count * 2]]
    for before, query, previous in zip(queries[::2], queries[1::2], ["warm up", *queries[1::2]], strict=False):
        # Scoring is timed with a vector already made (the previous query's) whose scores the index does not hold.
        with threadpool_limits(os.cpu_count(), user_api="blas"):
            measured = {"before: search": timed(client.get, "/search/", {"q": before})}
            measured["before: score"] = timed(
                index.nearest,
                StoryVector.Kind.PASSAGE,
                embeddings.embed_query(previous),
                search.MEANING_CANDIDATES,
                search.MEANING_MIN_SCORE,
            )
        # Idle BLAS threads spin for a while before they sleep: left spinning, they would slow what is timed next.
        time.sleep(0.2)
        with threadpool_limits(1, user_api="blas"):
            measured |= {
                "after: search, new": timed(client.get, "/search/", {"q": query}),
                # The previous query's vector is kept; its scores are not (the index keeps only the last query's).
                "after: search, kept": timed(client.get, "/search/", {"q": previous}),
                "words' query": timed(search._keyword_matches, query, filters),
                "embed the query": timed(embeddings.engine().embed, [query], "query"),
                "kept query vector": timed(embeddings.embed_query, query),
            }
            vector, words = embeddings.embed_query(query), search._keyword_matches(query, filters)
            measured["after: score"] = timed(
                index.nearest, StoryVector.Kind.PASSAGE, vector, search.MEANING_CANDIDATES, search.MEANING_MIN_SCORE
            )
            measured["rank words' matches"] = timed(
                index.nearest, StoryVector.Kind.PASSAGE, vector, len(words), -1.0, words
            )
        for part, milliseconds in measured.items():
            parts.setdefault(part, []).append(milliseconds)
        time.sleep(0.2)
    print(f"\nOne search in process, {count} queries each way (ms):\n{'':22}{'p50':>8}{'p95':>8}")
    for part, values in sorted(parts.items(), key=lambda item: not item[0].startswith(("before", "after"))):
        values.sort()
        print(f"{part:22}{values[len(values) // 2]:>8.1f}{values[int(len(values) * 0.95)]:>8.1f}")


def wrk_script(directory: Path, queries: list[str]) -> Path:
    """wrk's Lua hooks: a search query per request (when given), and p50/p95 in microseconds at the end."""
    quoted = ", ".join(f'"{query}"' for query in queries)
    script = directory / "bench.lua"
    script.write_text(
        f"""
local queries = {{{quoted}}}
request = function()
  if #queries > 0 then
    return wrk.format("GET", "/search/?q=" .. queries[math.random(#queries)])
  end
  return wrk.format("GET", nil)
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  io.write(string.format("VOICEBOX %f %d %d %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(95), summary.requests, errors))
end
"""
    )
    return script


def measure(
    url: str,
    args,
    queries: list[str] = (),
    connections: int | None = None,
    cookie: str | None = None,
    seconds: int | None = None,
) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        script = wrk_script(Path(directory), list(queries))
        command = [
            "wrk",
            "-t1",
            f"-c{connections or args.connections}",
            f"-d{seconds or args.seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            *(["-H", f"Cookie: {cookie}"] if cookie else []),
            url,
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"VOICEBOX (\S+) (\d+) (\d+) (\d+) (\d+)", output)
    rps, p50, p95, requests, errors = match.groups()
    return {
        "rps": float(rps),
        "p50": int(p50) / 1000,
        "p95": int(p95) / 1000,
        "requests": int(requests),
        "errors": int(errors),
    }


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    for _ in range(200):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered; see its output above.")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own loopback server)
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 40 seconds.")


def start_server(root: Path, args) -> tuple[subprocess.Popen, str]:
    """gunicorn serving the deployment with the code in `root` (this tree, or a worktree for --compare)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "voicebox.wsgi", "-b", f"{HOST}:{port}", "-w", str(args.workers)],
        cwd=root,
        env={**os.environ, "STATIC_ROOT": str(ROOT / "static_collected")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return server, f"http://{HOST}:{port}"


def measure_searches(base: str, args, new: list[str], popular: list[str]) -> dict:
    connections = args.search_connections
    # Each worker reads the story vectors on its first search, and keeps the popular queries' vectors from then on.
    measure(base + "/search/", args, popular, connections=connections, seconds=3)
    return {
        "search, new": measure(base + "/search/", args, new, connections=connections),
        "search, popular": measure(base + "/search/", args, popular, connections=connections),
    }


def compare_side_by_side(revision: str, story: str, args, new: list[str], popular: list[str]) -> None:
    """The cached story page and search, served by the code of `revision` and by this tree, alternately, on the same
    deployment. This tree also serves the story page in each other interface language (/cy/...), where it has them."""
    tree = Path(tempfile.mkdtemp(prefix="voicebox-web-bench-rev-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), revision], cwd=ROOT, check=True)
    rows = []
    try:
        for _ in range(2):
            for name, root in ((revision, tree), ("this tree", ROOT)):
                server, base = start_server(root, args)
                try:
                    wait_until_up(base + story, server)
                    results = {}
                    for label, path in [("story page", story)] + [
                        (f"story, /{code}/", f"/{code}{story}") for code in interface_languages(root)
                    ]:
                        urllib.request.urlopen(base + path).read()  # noqa: S310 (warm the page cache)
                        results[label] = measure(base + path, args)
                    results.update(measure_searches(base, args, new, popular))
                    rows.append((name, results))
                finally:
                    server.terminate()
                    server.wait(timeout=30)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True)
    print(f"\nBefore ({revision}) and after (this tree), alternately: req/s, p50 / p95 ms")
    for name, results in rows:
        cells = "; ".join(
            f"{label} {r['rps']:.0f} req/s, {r['p50']:.0f} / {r['p95']:.0f} ms" for label, r in results.items()
        )
        print(f"{name[:14]:14} {cells}")


def interface_languages(root: Path) -> list[str]:
    """The prefixed interface languages a tree has (its translation files), none before it had any."""
    return sorted(path.parent.parent.name for path in (root / "locale").glob("*/LC_MESSAGES/django.po"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    # Search latency is measured with one connection per worker: what a search costs, not how long it queues.
    parser.add_argument("--search-connections", type=int, default=2)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--embed", type=int, default=200, help="How many stories to embed for real.")
    parser.add_argument("--profile", type=int, default=60, help="How many searches to time in process, part by part.")
    parser.add_argument("--compare", default="", help="A git revision to measure beside this tree.")
    parser.add_argument("--keep", default="", help="Keep the deployment in this directory; reuse it if it is there.")
    args = parser.parse_args()
    if args.keep:
        global VAR
        shutil.rmtree(VAR, ignore_errors=True)
        VAR = Path(args.keep).resolve()
        VAR.mkdir(parents=True, exist_ok=True)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed as the load generator: apt-get install -y wrk")

    configure(args)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    corpus = Corpus(random.Random(2026))
    story = load_or_reuse(args, corpus)
    new_queries = corpus.queries(NEW_QUERY_COUNT)
    popular_queries = new_queries[:POPULAR_QUERY_COUNT]
    if args.profile:
        profile_search(new_queries, args.profile)

    # The story page's own bytes, as a file the same server serves statically.
    page = Client(HTTP_HOST=HOST).get(story)
    assert page.status_code == 200, page.status_code
    STATIC_COPY.parent.mkdir(parents=True, exist_ok=True)
    STATIC_COPY.write_bytes(page.content)

    server, base = start_server(ROOT, args)
    try:
        wait_until_up(base + story, server)
        for url in (base + story, base + "/stories/", base + "/static/bench/story-page.html"):
            urllib.request.urlopen(url).read()  # noqa: S310 (warm the page cache and each worker)
        results = {
            # A first visit: no cookies, so every answer makes a new CSRF token for the page's one form.
            "story page": measure(base + story, args),
            # A returning reader, whose browser already holds its CSRF cookie.
            "story, return": measure(base + story, args, cookie=f"csrftoken={RETURNING_READER_CSRF}"),
            "story index": measure(base + "/stories/", args),
            **measure_searches(base, args, new_queries, popular_queries),
            "static file": measure(base + "/static/bench/story-page.html", args),
        }
        if args.compare:
            compare_side_by_side(args.compare, story, args, new_queries, popular_queries)
    finally:
        server.terminate()
        server.wait(timeout=30)
        STATIC_COPY.unlink(missing_ok=True)
        if not args.keep:
            shutil.rmtree(VAR, ignore_errors=True)

    setup = (
        f"gunicorn with {args.workers} sync workers, wrk with {args.connections} connections"
        f" ({args.search_connections} for search)"
    )
    print(f"\n{args.stories} stories, {setup}")
    print(f"story page: {len(page.content)} bytes ({story})\n")
    print(f"{'':14}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'requests':>10}{'errors':>8}")
    for name, result in results.items():
        print(
            f"{name:14}{result['rps']:>10.0f}{result['p50']:>10.1f}{result['p95']:>10.1f}"
            f"{result['requests']:>10}{result['errors']:>8}"
        )
    ratio = results["story page"]["rps"] / results["static file"]["rps"]
    print(f"\nstory page / static file throughput: {ratio:.2f} (target ≥ 0.5)")
    print(f"search p95: {results['search, new']['p95']:.0f} ms with new queries (target ≤ 150 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
