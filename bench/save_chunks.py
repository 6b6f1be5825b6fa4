"""Saving extractions to PostgreSQL: one article per transaction against chunks of articles.

On a team store most of an extraction worker's time was saving (bench/scaleout.py), so
this isolates it: the store is filled with ``--docs`` articles of the extraction corpus,
each analysed once in memory, then the same analysed articles are saved with
``store.save_extractions`` in transactions of 1, 5, 20 (the default, ``SAVE_CHUNK``) and
50 articles, alternating, from the same emptied state each time.  Reported per chunk size:
articles saved per second, milliseconds per article and the share of them this process
spent on CPU (the rest is the server's work and the round trips), statements per article (an
executemany counting once) and the ratio against one article per transaction, with the
analysis rate measured in the same run for scale.  Every run must store the same rows.

Run from the project root (PostgreSQL and Redis on 127.0.0.1):
``.venv/bin/python -m bench.save_chunks [--docs N] [--repeat K] [--chunks 1,5,20,50]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select

from bench.machine import load
from bench.scaleout import fill, reset, results
from bench.workerpool import DEFAULT_PG, DEFAULT_REDIS, team_store
from chipwire.models import Article, Company
from chipwire.pipeline.db import make_engine, session_factory
from chipwire.pipeline.extract.analysis import analyse
from chipwire.pipeline.extract.nlp import clip
from chipwire.pipeline.extract.run import article_inputs
from chipwire.pipeline.extract.store import SAVE_CHUNK, Extracted, save_extractions
from chipwire.pipeline.jobs import worker_nlp


def analysed(engine: Engine, settings: Any) -> tuple[list[Extracted], float]:
    """Every article analysed once, and the analysis rate (articles/s)."""
    nlp = worker_nlp(settings)
    with session_factory(engine)() as session:
        ids = list(session.scalars(select(Article.id)))
        rows = session.execute(article_inputs(ids)).all()
    started = time.perf_counter()
    items = []
    for row in rows:
        text, _ = clip(f"{row.title or ''}\n\n{row.text}")
        result = analyse(nlp, nlp(text), row.title)
        items.append(Extracted(row.id, row.reported, row.content_hash, result))
    return items, len(items) / (time.perf_counter() - started)


def save_all(engine: Engine, items: list[Extracted], chunk: int) -> tuple[float, float, int]:
    """Seconds to save every item ``chunk`` per transaction, this process's CPU seconds
    meanwhile (the rest is the server's work and the round trips), and the statements sent.
    """
    factory = session_factory(engine)
    with factory() as session:
        company_ids = dict(session.execute(select(Company.slug, Company.id)).all())
    sent = [0]

    def count(*_: Any) -> None:
        sent[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(items), chunk):
            with factory.begin() as session:
                save_extractions(session, items[start : start + chunk], company_ids)
        return time.perf_counter() - started, time.process_time() - cpu, sent[0]
    finally:
        event.remove(engine, "before_cursor_execute", count)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="articles in the store")
    parser.add_argument("--repeat", type=int, default=3, help="runs per chunk size")
    parser.add_argument("--chunks", default=f"1,5,{SAVE_CHUNK},50", help="articles per save")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Redis URL (unused, required)")
    args = parser.parse_args(argv)
    chunks = [int(size) for size in args.chunks.split(",")]
    before = load()
    with (
        tempfile.TemporaryDirectory() as tmp,
        team_store(args.pg, args.redis, Path(tmp) / "data") as settings,
    ):
        fill(settings, args.docs)
        engine = make_engine(settings.url)
        items, analysis_rate = analysed(engine, settings)
        rates: dict[int, list[float]] = {size: [] for size in chunks}
        trips: dict[int, int] = {}
        client: dict[int, list[float]] = {size: [] for size in chunks}
        expected: dict[str, int] | None = None
        for repeat in range(args.repeat):
            for size in chunks if repeat % 2 == 0 else chunks[::-1]:
                reset(settings)
                seconds, cpu, statements = save_all(engine, items, size)
                got = results(settings)
                expected = expected or got
                if got != expected:
                    raise SystemExit(f"chunks of {size}: stored {got}, expected {expected}")
                rates[size].append(len(items) / seconds)
                trips[size] = statements
                client[size].append(cpu / seconds)
                print(f"chunks of {size:3d}: {seconds:6.2f} s  {len(items) / seconds:7.1f} a/s")
        engine.dispose()
    print(
        f"\nhost: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; load {before} before / {load()} after; "
        f"{len(items)} articles stored as {expected}; medians of {args.repeat}"
    )
    print(f"analysis (same run, for scale): {analysis_rate:7.1f} articles/s")
    base = statistics.median(rates[chunks[0]])
    for size in chunks:
        rate = statistics.median(rates[size])
        print(
            f"{size:3d} per transaction: {rate:7.1f} articles/s saved, "
            f"{trips[size] / len(items):5.1f} statements per article, "
            f"{1000 / rate:5.2f} ms per article ({statistics.median(client[size]):4.0%} "
            "client CPU), "
            f"{rate / base:4.2f}x chunks of {chunks[0]}"
        )


if __name__ == "__main__":
    main()
