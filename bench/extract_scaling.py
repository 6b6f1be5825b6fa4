"""Extraction scaling: ``chipwire extract --processes N`` on a store, end to end.

What a user gains from ``--processes`` is decided by the whole command, not by the
analysis alone: the worker pool (each worker builds its own pipeline and sends back its
articles' extractions), the parent that stays the store's only writer (one transaction
per article) and the start-up (imports, migrations check, pipeline build).  So this
benchmark runs the real command, as a user would, on a real store:

* **One store, copied per run.**  A fresh SQLite store is migrated, seeded with the
  registry and filled with ``--docs`` generated articles (``bench.corpus``, the corpus of
  the throughput benchmark); every run extracts a byte-for-byte copy of it, so each run
  does the same work from the same state.
* **The command in its own process**: ``python -m chipwire.pipeline extract
  --processes N``, timed from the outside, with the CPU time of the command and of its
  workers (``RUSAGE_CHILDREN``: the command reaps its pool before it exits).
* **The fixed cost measured too**: the same command on a copy with no articles, so the
  report shows the speed-up both as the user sees it and with start-up set aside.
* **Same results or no figure**: every run must store the same numbers of mentions, deal
  reports and benchmark claims as the single-process run, else the benchmark fails.
* **Alternating order, repeated**, medians reported.

Run from the project root: ``.venv/bin/python -m bench.extract_scaling [--docs N]
[--repeat K] [--processes 1,2]``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.corpus import DEFAULT_WORDS, SEED, corpus, count_words, pipeline_input
from bench.machine import children_cpu, load

COUNTED = ("article", "mention", "deal_source", "benchmark", "org_candidate")


def make_store(directory: Path, articles: list[tuple[str, str]]) -> Path:
    """A migrated, seeded store holding ``articles``; returns its data directory."""
    from sqlalchemy import insert

    from chipwire.models import Article, Source
    from chipwire.pipeline.config import Settings
    from chipwire.pipeline.db import make_engine, session_factory, upgrade
    from chipwire.pipeline.jobs import seed_job

    settings = Settings(data_dir=directory)
    engine = make_engine(settings.url)
    upgrade(engine)
    seed_job(settings)
    now = datetime.now(UTC)
    with session_factory(engine).begin() as session:
        source = Source(name="bench", kind="rss", url="http://127.0.0.1/feed.xml")
        session.add(source)
        session.flush()
        if articles:
            session.execute(
                insert(Article),
                [
                    {
                        "source_id": source.id,
                        "url": f"http://127.0.0.1/article/{n}",
                        "title": title,
                        "kind": "article",
                        "language": "en",
                        "text": text,
                        "content_hash": hashlib.sha256(text.encode()).hexdigest(),
                        "published_at": now,
                        "first_seen_at": now,
                        "fetched_at": now,
                    }
                    for n, (title, text) in enumerate(articles)
                ],
            )
    engine.dispose()
    return directory


def row_counts(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "chipwire.db") as connection:
        return {
            table: int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 - table names are the constants above
            for table in COUNTED
        }


@dataclass
class Run:
    processes: int
    wall: float  # the whole command, interpreter start-up included
    cpu: float  # the command's and its workers'
    counts: dict[str, int]


def run_command(template: Path, scratch: Path, processes: int) -> Run:
    """``chipwire extract --processes N`` on a fresh copy of ``template``."""
    data_dir = scratch / f"run-{processes}"
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(template, data_dir)
    env = {**os.environ, "CHIPWIRE_DATA_DIR": str(data_dir)}
    env.pop("CHIPWIRE_DATABASE_URL", None)
    command = [sys.executable, "-m", "chipwire.pipeline", "extract", "--processes", str(processes)]
    cpu, started = children_cpu(), time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
        command, cwd=scratch, env=env, capture_output=True, text=True, check=False
    )
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"chipwire extract --processes {processes} failed")
    return Run(processes, wall, cpu, row_counts(data_dir))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=600, help="articles in the store")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each process count")
    parser.add_argument(
        "--processes",
        default=f"1,2,{os.cpu_count() or 1}",
        help="comma-separated process counts (default: 1, 2 and the CPU count)",
    )
    parser.add_argument("--words", type=Path, default=DEFAULT_WORDS, help="word list for filler")
    args = parser.parse_args(argv)
    counts = sorted({int(value) for value in args.processes.split(",")} | {1})
    if args.docs < 1 or args.repeat < 1 or counts[0] < 1:
        parser.error("--docs, --repeat and --processes must be positive")
    articles = corpus(args.docs, args.words)
    words = count_words(text for text, _ in pipeline_input(articles))
    before = load()
    with tempfile.TemporaryDirectory(prefix="chipwire-scaling-") as name:
        scratch = Path(name)
        template = make_store(scratch / "template", articles)
        empty = make_store(scratch / "empty", [])
        fixed = [run_command(empty, scratch, 1).wall for _ in range(args.repeat)]
        print(f"start-up (no articles pending): {', '.join(f'{s:.2f} s' for s in fixed)}")
        runs: dict[int, list[Run]] = {count: [] for count in counts}
        for n in range(args.repeat):
            for count in counts if n % 2 == 0 else list(reversed(counts)):
                run = run_command(template, scratch, count)
                runs[count].append(run)
                print(
                    f"run {n + 1} --processes {count}: {run.wall:6.2f} s  "
                    f"{words / run.wall:9,.0f} words/s  cpu {run.cpu:6.2f} s  {run.counts}",
                    flush=True,
                )
    reference = runs[1][0].counts
    for count, measured in runs.items():
        for run in measured:
            if run.counts != reference:
                raise SystemExit(f"--processes {count} stored {run.counts}, 1 process {reference}")
    startup = statistics.median(fixed)
    base = statistics.median(run.wall for run in runs[1])
    import spacy

    print("\nchipwire extract --processes N, end to end on a SQLite store (same corpus)")
    print(
        f"  docs {args.docs}, words {words:,}, seed {SEED}, repeat {args.repeat}, order "
        f"alternating; CPUs {os.cpu_count()}, load average {before} before / {load()} after; "
        f"Python {platform.python_version()}, spaCy {spacy.__version__}"
    )
    print(f"  stored per run: {reference}")
    print(f"  start-up (imports, store check, pipeline build): median {startup:.2f} s")
    for count, measured in runs.items():
        wall = statistics.median(run.wall for run in measured)
        cpu = statistics.median(run.cpu for run in measured)
        work = max(wall - startup, 1e-9)
        print(
            f"  --processes {count}: median {wall:6.2f} s, {words / wall:9,.0f} words/s, "
            f"speed-up {base / wall:4.2f}x; without start-up {words / work:9,.0f} words/s, "
            f"speed-up {(base - startup) / work:4.2f}x; CPU {cpu:.2f} s"
        )


if __name__ == "__main__":
    main()
