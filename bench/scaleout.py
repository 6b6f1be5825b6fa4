"""Scale-out: extraction on 1 and 2 Celery workers against a PostgreSQL team store.

The same store is extracted by one worker process, then by two (alternating, repeated),
through the real path: ``chipwire worker`` processes, a Redis broker, batches claimed with
``FOR UPDATE SKIP LOCKED``, 20 articles per transaction.  Reported:

* **articles/s per worker count** and the **scaling ratio** (2 workers / 1; goal >= 1.8 on
  a 2-core machine, where PostgreSQL, Redis and this process share the same cores);
* **per-core articles/s** (rate / workers), what docs/scaling.md sizes a cluster from;
* **the bound**: ``chipwire extract`` in one process on the same store, no broker, no
  claims, without its start-up (measured by a run with nothing pending; a worker builds
  its pipeline before it takes tasks): what one worker could do at best, so the 1-worker
  figure shows the distribution's own cost;
* **where a worker's time goes**: claiming, analysing (spaCy + rules), saving (the
  articles' transactions), summed over the batches' ``job_run`` counts;
* **the servers' CPU per article** (PostgreSQL, Redis; from /proc when they run on this
  host): the part of the work that shares the workers' cores here and does not scale out.

Each run starts from the same state: extraction results deleted, articles pending.  A run
whose counts differ from the in-process extraction's fails the benchmark (same results or
no figure).  Run from the project root (PostgreSQL and Redis on 127.0.0.1):
``.venv/bin/python -m bench.scaleout [--docs N] [--repeat K] [--batch B]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

from bench.corpus import DEFAULT_WORDS, corpus
from bench.machine import load
from bench.workerpool import (
    DEFAULT_PG,
    DEFAULT_REDIS,
    last_run_id,
    pairwise,
    server_cpu,
    start_workers,
    stop_workers,
    task_rows,
    team_store,
    timed_round,
)
from chipwire.models import Article, Benchmark, DealSource, Mention
from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import make_engine
from chipwire.pipeline.jobs import extract_job

RESULT_TABLES = ("mention", "benchmark", "deal_source", "deal_party", "deal", "org_candidate")


def fill(settings: Settings, docs: int) -> None:
    articles = corpus(docs, DEFAULT_WORDS)
    start = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    rows = [
        {
            "url": f"https://bench.example.test/a/{n}",
            "title": title,
            "kind": "article",
            "language": "en",
            "text": body,
            "content_hash": hashlib.sha256(body.encode()).hexdigest(),
            "published_at": start + dt.timedelta(minutes=11 * n),
            "first_seen_at": start + dt.timedelta(minutes=11 * n),
            "fetched_at": start + dt.timedelta(minutes=11 * n),
        }
        for n, (title, body) in enumerate(articles)
    ]
    engine = make_engine(settings.url)
    with engine.begin() as connection:
        connection.execute(insert(Article), rows)
    engine.dispose()


def reset(settings: Settings) -> None:
    """Back to every article pending, nothing extracted."""
    engine = make_engine(settings.url)
    with engine.begin() as connection:
        for table in RESULT_TABLES:
            connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our table names
        connection.execute(
            text(
                "UPDATE article SET extracted_version = NULL, extracted_hash = NULL, "
                "extracted_at = NULL, extract_claim = NULL, extract_claimed_at = NULL"
            )
        )
    engine.dispose()


def results(settings: Settings) -> dict[str, int]:
    engine = make_engine(settings.url)
    with engine.connect() as connection:
        counted = {
            model.__tablename__: connection.scalar(select(func.count()).select_from(model)) or 0
            for model in (Mention, DealSource, Benchmark)
        }
    engine.dispose()
    return counted


def in_process(settings: Settings, docs: int) -> tuple[float, float]:
    """The in-process rate, without the fixed start-up (building the pipeline, which a
    worker does before it takes tasks): (articles/s, start-up seconds)."""
    reset(settings)
    local = settings.model_copy(update={"broker_url": None})
    started = time.perf_counter()
    extract_job(local, show_progress=False)
    whole = time.perf_counter() - started
    started = time.perf_counter()
    extract_job(local, show_progress=False)  # nothing pending: the start-up alone
    fixed = time.perf_counter() - started
    return docs / (whole - fixed), fixed


def on_workers(settings: Settings, workers: int, logs: Path) -> dict[str, Any]:
    reset(settings)
    processes = start_workers(settings, workers, "extract", logs)
    try:
        before, servers = last_run_id(settings), server_cpu()
        seconds, counts = timed_round(settings, "extract", "extract-round")
        servers = {name: used - servers[name] for name, used in server_cpu().items()}
    finally:
        stop_workers(processes)
    batches = task_rows(settings, "extract-batch", before)
    split = {
        key: sum(b.get(key, 0.0) for b in batches) for key in ("claim_s", "analyse_s", "save_s")
    }
    return {
        "seconds": seconds,
        "articles": counts["totals"]["articles"],
        "split": split,
        "servers": servers,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=2000, help="articles in the store")
    parser.add_argument("--repeat", type=int, default=2, help="runs per worker count")
    parser.add_argument("--batch", type=int, default=50, help="articles per extraction task")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Redis URL (database flushed)")
    args = parser.parse_args(argv)
    before = load()
    with (
        tempfile.TemporaryDirectory() as tmp,
        team_store(args.pg, args.redis, Path(tmp) / "data", extract_batch=args.batch) as settings,
    ):
        fill(settings, args.docs)
        bound, fixed = in_process(settings, args.docs)
        expected = results(settings)
        print(
            f"in-process extraction (the bound): {bound:7.1f} articles/s "
            f"after a start-up of {fixed:.1f} s  {expected}"
        )
        rates: dict[int, list[float]] = {1: [], 2: []}
        splits: dict[int, list[dict[str, float]]] = {1: [], 2: []}
        servers: dict[int, list[dict[str, float]]] = {1: [], 2: []}
        for repeat in range(args.repeat):
            for workers in (1, 2) if repeat % 2 == 0 else (2, 1):
                run = on_workers(settings, workers, Path(tmp))
                got = results(settings)
                if run["articles"] != args.docs or got != expected:
                    raise SystemExit(f"{workers} worker(s): {run['articles']} articles, {got}")
                rate = args.docs / run["seconds"]
                rates[workers].append(rate)
                splits[workers].append(run["split"])
                servers[workers].append(run["servers"])
                print(f"{workers} worker(s): {run['seconds']:6.1f} s  {rate:7.1f} articles/s")
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    print(
        f"\nhost: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; load {before} before / {load()} after; "
        f"{args.docs} articles, batches of {args.batch}, medians of {args.repeat}"
    )
    print(f"1 worker : {one:7.1f} articles/s = {one / bound:5.1%} of the in-process bound")
    print(f"2 workers: {two:7.1f} articles/s = {two / 2:6.1f} per worker core")
    print(f"scaling 2/1: {two / one:4.2f}x (goal >= 1.8x)")
    print(pairwise(rates))
    for workers in (1, 2):
        total = {k: sum(s[k] for s in splits[workers]) for k in ("claim_s", "analyse_s", "save_s")}
        whole = sum(total.values()) or 1.0
        shares = ", ".join(f"{k[:-2]} {v / whole:5.1%}" for k, v in total.items())
        print(f"time in the tasks, {workers} worker(s): {shares}")
        used = {k: sum(s[k] for s in servers[workers]) for k in ("postgres", "redis")}
        per = ", ".join(f"{k} {v * 1000 / (args.docs * args.repeat):4.2f}" for k, v in used.items())
        print(f"server CPU ms per article, {workers} worker(s): {per}")


if __name__ == "__main__":
    main()
