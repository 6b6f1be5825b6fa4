"""Scale-out of archive backfill: WARC files on 1 and 2 Celery workers, and where the time goes.

Backfill tasks are one WARC file each, read in a child process through the crawl's own
parsing and pipelines (spiders/archive.py).  This benchmark:

* writes ``--files`` WARC files (gzip per record, like CC-NEWS) of ``--pages`` article pages
  each, made from the extraction benchmark's corpus (``bench.corpus``: 300-600 words,
  registry names, varied vocabulary) wrapped in news-page HTML, every page distinct;
* **where the time goes**, in one process on the same files: reading the records alone
  (FastWARC), parsing the pages alone (``spiders.page.parse_page``: trafilatura and dates),
  and a whole backfill (``chipwire backfill --no-extract`` in a child, timed around it);
  the rest of the whole is Scrapy's item path, the pipelines and the store's writes;
* **the scaling**: the same files backfilled by 1, then 2 ``chipwire worker -Q backfill``
  processes through Redis into a PostgreSQL store emptied between runs (alternating,
  repeated, medians): pages/s, the ratio 2/1 and pages/s per worker core.

Run from the project root (PostgreSQL and Redis on 127.0.0.1):
``.venv/bin/python -m bench.scaleout_backfill [--files 4] [--pages 500] [--repeat 2]``.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.corpus import DEFAULT_WORDS, corpus
from bench.machine import load
from bench.workerpool import (
    DEFAULT_PG,
    DEFAULT_REDIS,
    pairwise,
    start_workers,
    stop_workers,
    team_store,
    timed_round,
)
from chipwire.pipeline.config import Settings
from chipwire.pipeline.crawlproc import backfill_in_child
from chipwire.pipeline.db import make_engine
from chipwire.spiders.page import parse_page
from chipwire.spiders.warc import WarcTally, html_records, open_warc


def html(title: str, body: str, number: int) -> bytes:
    paragraphs = "".join(f"<p>{part}</p>" for part in body.split("\n\n"))
    return (
        f"<html lang='en'><head><title>{title}</title>"
        "<meta property='article:published_time' "
        f"content='2026-02-{1 + number % 27:02d}T08:00:00Z'>"
        f"</head><body><nav><a href='/'>Home</a> <a href='/chips'>Chips</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright the publisher. All rights reserved.</footer></body></html>"
    ).encode()


def write_files(directory: Path, files: int, pages: int) -> list[str]:
    articles = corpus(files * pages, DEFAULT_WORDS)
    paths = []
    for f in range(files):
        path = directory / f"news-{f}.warc.gz"
        with path.open("wb") as out:
            writer = WARCWriter(out, gzip=True)
            for p in range(pages):
                number = f * pages + p
                title, body = articles[number]
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                record = writer.create_warc_record(
                    f"https://news{f}.example.test/story/{number}",
                    "response",
                    payload=io.BytesIO(html(title, body, number)),
                    http_headers=headers,
                )
                writer.write_record(record)
        paths.append(str(path))
    return paths


def read_only(paths: list[str]) -> tuple[float, list[tuple[str, str]]]:
    started, pages = time.perf_counter(), []
    for path in paths:
        with open_warc(path) as stream:
            for record in html_records(stream, path, WarcTally()):
                pages.append((record.body.decode("utf-8"), record.url))
    return time.perf_counter() - started, pages


def parse_only(pages: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    for body, url in pages:
        parse_page(body, url)
    return time.perf_counter() - started


def child_startup(settings: Settings, directory: Path) -> float:
    """Seconds a backfill child takes for a file with nothing in it to parse: its fixed cost
    (interpreter, imports, Scrapy, the store), paid once per file a worker is given."""
    path = directory / "nothing.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "bench"}))
    started = time.perf_counter()
    backfill_in_child(settings, [str(path)], timeout=600)
    return time.perf_counter() - started


def empty(settings: Settings) -> None:
    engine = make_engine(settings.url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM article"))
        connection.execute(text("DELETE FROM job_run"))
    engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--pages", type=int, default=500, help="pages per file")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    args = parser.parse_args(argv)
    total = args.files * args.pages
    before = load()
    with (
        tempfile.TemporaryDirectory() as tmp,
        team_store(args.pg, args.redis, Path(tmp) / "data") as settings,
    ):
        paths = write_files(Path(tmp), args.files, args.pages)
        reading, pages = read_only(paths)
        parsing = parse_only(pages)
        startup = child_startup(settings, Path(tmp))
        started = time.perf_counter()
        outcomes = backfill_in_child(settings, paths, timeout=3600)
        whole = time.perf_counter() - started - startup
        stored = sum(int(o.counts.get("stored", 0)) for o in outcomes)
        rest = whole - reading - parsing
        print(
            f"one process, {total} pages in {args.files} files: {whole:.1f} s after a start-up "
            f"of {startup:.1f} s ({total / whole:.1f} pages/s, {stored} stored): reading "
            f"{reading:.2f} s ({reading / whole:.1%}), parsing {parsing:.1f} s "
            f"({parsing / whole:.1%}), Scrapy's item path, pipelines and store writes "
            f"{rest:.1f} s ({rest / whole:.1%})"
        )
        rates: dict[int, list[float]] = {1: [], 2: []}
        for repeat in range(args.repeat):
            for workers in (1, 2) if repeat % 2 == 0 else (2, 1):
                empty(settings)
                processes = start_workers(settings, workers, "backfill", Path(tmp))
                try:
                    seconds, counts = timed_round(settings, "backfill", "backfill-round", paths)
                finally:
                    stop_workers(processes)
                rates[workers].append(total / seconds)
                print(
                    f"{workers} worker(s): {seconds:6.1f} s  {total / seconds:6.1f} pages/s "
                    f"({counts['totals'].get('stored', 0)} stored)"
                )
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    print(
        f"\nhost: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load {before} before / {load()} after"
    )
    print(
        f"1 worker : {one:6.1f} pages/s;  2 workers: {two:6.1f} pages/s "
        f"= {two / 2:5.1f} per worker core"
    )
    print(f"scaling 2/1: {two / one:4.2f}x (goal >= 1.8x)")
    print(pairwise(rates))


if __name__ == "__main__":
    main()
