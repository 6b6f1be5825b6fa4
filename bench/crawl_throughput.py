"""Crawl throughput: chipwire's spider + pipelines against bare Scrapy, same loopback site.

The bound is a minimal Scrapy spider that reads the same RSS feed and fetches every article
with the same concurrency, robots and throttle settings, doing nothing with the pages.  The
ratio chipwire pages/s ÷ bare pages/s therefore prices exactly what chipwire adds on top of
Scrapy's downloading: page parsing (trafilatura, parsel), the item loader and the five
pipelines writing into a fresh SQLite store.

Why it is built this way:

* **A bigger site.** The bundled sample site has ~30 articles, a crawl of it is over before
  timings mean anything.  ``--pages`` copies of its real article pages (news and press, no
  traps) are served instead, each copy made distinct (title, numbers, one sentence, canonical
  URL), so dedup does not drop them and the run does not measure dedup's short-circuit.
  Company names are kept, so the relevance filter passes them.
* **The server in its own process**, so serving pages does not compete with the crawler for
  the GIL; on a machine with one CPU per process the crawler owns its core.
* **Each crawl in its own subprocess**, because Twisted's reactor starts only once per
  process.  Time is taken inside the child, from the start of the crawl to its end, so
  interpreter start-up and imports are excluded; the process time is reported too.
* **All the CPU a page costs**: chipwire parses pages in worker processes, so its CPU per
  page is the crawl process's plus its parse workers' (reaped after the crawl and read
  from ``RUSAGE_CHILDREN``, their start-up included).
* **Alternating order, repeated**, and the median taken, so a slow first run or a warming
  disk cache does not favour either side.
* **Stored count checked**: a chipwire run that stored fewer than 95% of the pages fails the
  benchmark, so the ratio can never be flattered by dropping work.

Run from the project root: ``.venv/bin/python -m bench.crawl_throughput [--pages N]
[--repeat K]``; ``--profile`` adds one cProfile'd chipwire crawl and prints where time goes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.crawl_site import article_templates, serve
from bench.machine import children_cpu, load

ROOT = Path(__file__).resolve().parent.parent
SOURCE_NAME = "bench-feed"
MIN_STORED_SHARE = 0.95
TARGET_RATIO = 0.5
BARE_ITEMS_ENV = "BENCH_BARE_CONCURRENT_ITEMS"


# -- the crawls (run in child processes) -------------------------------------------------


def crawl_settings() -> dict[str, Any]:
    """Settings both crawlers share: chipwire's concurrency, no throttle, no cache, robots on."""
    from chipwire.spiders import settings as defaults

    return {
        "CONCURRENT_REQUESTS": 16,  # Scrapy's default, which chipwire keeps
        "CONCURRENT_REQUESTS_PER_DOMAIN": defaults.CONCURRENT_REQUESTS_PER_DOMAIN,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "ROBOTSTXT_OBEY": True,
        "LOG_LEVEL": "WARNING",
        "TWISTED_REACTOR": defaults.TWISTED_REACTOR,
        "TELNETCONSOLE_ENABLED": False,
    }


def run_bare(base: str) -> dict[str, Any]:
    """Bare Scrapy: fetch the feed, regex its links, fetch each article, yield url + size."""
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import Response

    link = re.compile(r"<item>.*?<link>([^<]+)</link>", re.DOTALL)

    class BareFeedSpider(scrapy.Spider):
        name = "bare-feed"

        async def start(self) -> Any:
            yield scrapy.Request(f"{base}/feed.xml", callback=self.parse_feed)

        def parse_feed(self, response: Response) -> Any:
            for url in link.findall(response.text):
                yield scrapy.Request(url.strip(), callback=self.parse_article)

        def parse_article(self, response: Response) -> Any:
            yield {"url": response.url, "length": len(response.body)}

    settings = crawl_settings()
    if os.environ.get(BARE_ITEMS_ENV):
        # --bare-like-chipwire: give bare Scrapy chipwire's item concurrency too.
        settings["CONCURRENT_ITEMS"] = int(os.environ[BARE_ITEMS_ENV])
    started, cpu = time.perf_counter(), time.process_time()
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(BareFeedSpider)
    process.crawl(crawler)
    process.start()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    return {
        "wall": wall,
        "cpu": cpu,
        "engine": float(stats.get("elapsed_time_seconds", 0.0)),
        "pages": int(stats.get("item_scraped_count", 0)),
        "requests": int(stats.get("downloader/request_count", 0)),
    }


def chipwire_settings(workdir: Path) -> Any:
    """A store and source directory of the benchmark's own, never the user's."""
    from chipwire.pipeline.config import Settings

    return Settings(data_dir=workdir / "data", sources_path=workdir / "sources")


def run_chipwire(workdir: Path, profile: Path | None = None) -> dict[str, Any]:
    """The real chipwire crawl job (source spider, all pipelines) into the prepared store.

    Pages are parsed in worker processes; they are reaped after the crawl so that their
    CPU time (start-up included: it is a cost of every crawl) counts with the crawler's.
    """
    from chipwire.pipeline.jobs import crawl_job
    from chipwire.spiders import parsepool

    settings = chipwire_settings(workdir)

    def crawl() -> list[Any]:
        return crawl_job(settings, names=[SOURCE_NAME], overrides=crawl_settings())

    workers_cpu = children_cpu()
    started, cpu = time.perf_counter(), time.process_time()
    if profile is None:
        results = crawl()
    else:
        import cProfile

        profiler = cProfile.Profile()
        results = profiler.runcall(crawl)
        profiler.dump_stats(profile)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    parsepool.shutdown(wait=True)
    workers_cpu = children_cpu() - workers_cpu
    (result,) = results
    return {
        "wall": wall,
        "cpu": cpu,
        "workers_cpu": workers_cpu,
        "engine": float(result.counts.get("duration_s") or 0.0),
        "pages": int(result.counts.get("fetched", 0)),
        "requests": int(result.counts.get("requests", 0)),
        "status": result.status,
        "error": result.error,
        "counts": result.counts,
    }


def prepare_store(workdir: Path, base: str, pages: int) -> None:
    """Fresh store (migrated, registry seeded) and one RSS source reading the bench feed.

    ``max_items`` is raised to the page count: the default bound of 200 per run is a
    politeness limit for real sites, not part of the work being measured.
    """
    from chipwire.pipeline.db import make_engine, upgrade
    from chipwire.pipeline.jobs import seed_job

    settings = chipwire_settings(workdir)
    engine = make_engine(settings.url)
    upgrade(engine)
    engine.dispose()
    seed_job(settings)
    sources = workdir / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    (sources / f"{SOURCE_NAME}.toml").write_text(
        f'kind = "rss"\nurl = "{base}/feed.xml"\narticle_kind = "article"\n'
        f'max_items = {pages}\ntags = ["bench"]\nverified = true\n',
        encoding="utf-8",
    )


def stored_articles(workdir: Path) -> int:
    """Articles actually in the store, counted by SQL rather than by the crawl's own stats."""
    with sqlite3.connect(workdir / "data" / "chipwire.db") as connection:
        return int(connection.execute("SELECT count(*) FROM article").fetchone()[0])


# -- the parent --------------------------------------------------------------------------


@dataclass
class Run:
    """One crawl as the child reported it, plus what the parent saw from outside."""

    crawler: str
    wall: float  # in the child, start of crawl to its end
    cpu: float  # the child's CPU time over the same span
    workers_cpu: float  # CPU time of the child's parse workers (bare Scrapy has none)
    engine: float  # Scrapy's elapsed_time_seconds (engine open to close)
    process: float  # in the parent, including interpreter start-up and imports
    pages: int
    stored: int | None = None
    linked: int | None = None

    @classmethod
    def from_report(cls, crawler: str, report: dict[str, Any], process: float) -> Run:
        return cls(
            crawler,
            report["wall"],
            report["cpu"],
            report.get("workers_cpu", 0.0),
            report["engine"],
            process,
            report["pages"],
        )

    @property
    def rate(self) -> float:
        return self.pages / self.wall

    @property
    def cpu_ms(self) -> float:
        """All the CPU a page costs: the crawler's and its parse workers'."""
        return 1000 * (self.cpu + self.workers_cpu) / self.pages

    @property
    def workers_cpu_ms(self) -> float:
        return 1000 * self.workers_cpu / self.pages


def child(kind: str, args: list[str], env: dict[str, str]) -> tuple[dict[str, Any], float]:
    """Run one crawl in a fresh interpreter; returns its JSON report and the process time."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "result.json"
        command = [sys.executable, "-m", "bench.crawl_throughput", "--child", kind]
        command += [*args, "--out", str(out)]
        started = time.perf_counter()
        result = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        elapsed = time.perf_counter() - started
        if result.returncode != 0 or not out.exists():
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"{kind} crawl failed (exit {result.returncode})")
        return json.loads(out.read_text(encoding="utf-8")), elapsed


def run_pair(
    order: tuple[str, ...], base: str, pages: int, env: dict[str, str], workroot: Path, n: int
) -> list[Run]:
    """One bare and one chipwire crawl in ``order``; fails if either skipped pages."""
    runs = []
    for kind in order:
        if kind == "bare":
            report, elapsed = child("bare", ["--base", base], env)
            runs.append(Run.from_report("bare", report, elapsed))
            continue
        workdir = workroot / f"chipwire-{n}"
        prepare_store(workdir, base, pages)
        report, elapsed = child("chipwire", ["--workdir", str(workdir)], env)
        stored = stored_articles(workdir)
        run = Run.from_report("chipwire", report, elapsed)
        run.stored, run.linked = stored, report["counts"].get("duplicates_linked", 0)
        runs.append(run)
        if report["status"] != "succeeded" or stored < MIN_STORED_SHARE * pages:
            dropped = report["counts"].get("dropped")
            raise SystemExit(
                f"chipwire stored {stored} of {pages} pages (< {MIN_STORED_SHARE:.0%}); "
                f"status {report['status']}, dropped {dropped}, error {report['error']}: "
                "the ratio would be flattered by dropping work"
            )
    bare = next(run for run in runs if run.crawler == "bare")
    if bare.pages < MIN_STORED_SHARE * pages:
        raise SystemExit(f"bare Scrapy fetched only {bare.pages} of {pages} pages")
    return runs


def print_profile(path: Path, limit: int = 25) -> None:
    import pstats

    for key in ("tottime", "cumulative"):
        print(f"\n-- chipwire crawl profile, top {limit} by {key} --")
        pstats.Stats(str(path)).sort_stats(key).print_stats(limit)
    print("\n-- chipwire's own code, by cumulative time --")
    pstats.Stats(str(path)).sort_stats("cumulative").print_stats(r"/(spiders|pipeline)/", limit)


def conditions(pages: int, repeat: int, templates: int, loads: tuple[str, str]) -> list[str]:
    import scrapy
    import twisted

    shared = crawl_settings()
    return [
        f"pages {pages} (copies of {templates} sample articles), repeat {repeat}, "
        "order alternating",
        f"CPUs {os.cpu_count()}, load average {loads[0]} before / {loads[1]} after, "
        f"Python {platform.python_version()}, Scrapy {scrapy.__version__}, "
        f"Twisted {twisted.__version__}, {platform.platform()}",
        f"CONCURRENT_REQUESTS {shared['CONCURRENT_REQUESTS']}, per domain "
        f"{shared['CONCURRENT_REQUESTS_PER_DOMAIN']}, ROBOTSTXT_OBEY both, AUTOTHROTTLE off, "
        "HTTP cache off, server in its own process (ThreadingHTTPServer, keep-alive)",
    ]


def main_parent(pages: int, repeat: int, profile: bool, bare_like_chipwire: bool = False) -> None:
    # The benchmark's store and sources are its own: CHIPWIRE_* from the shell must not
    # point the children at the user's database.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWIRE_")}
    if bare_like_chipwire:
        from chipwire.spiders import settings as defaults

        env[BARE_ITEMS_ENV] = str(defaults.CONCURRENT_ITEMS)
        print(f"bare Scrapy runs with chipwire's CONCURRENT_ITEMS = {defaults.CONCURRENT_ITEMS}")
    for key in [k for k in os.environ if k.startswith("CHIPWIRE_")]:
        del os.environ[key]
    before = load()
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    server = context.Process(target=serve, args=(pages, sender), daemon=True)
    server.start()
    try:
        base, served = receiver.recv()
        if served != pages:
            raise SystemExit(f"server built {served} pages, expected {pages}")
        runs: list[Run] = []
        with tempfile.TemporaryDirectory(prefix="chipwire-bench-") as scratch:
            workroot = Path(scratch)
            for n in range(repeat):
                order = ("bare", "chipwire") if n % 2 == 0 else ("chipwire", "bare")
                for run in run_pair(order, base, pages, env, workroot, n):
                    runs.append(run)
                    stored = "" if run.stored is None else f"stored {run.stored}"
                    linked = "" if run.linked is None else f" ({run.linked} linked)"
                    print(
                        f"run {n + 1} {run.crawler:<8} crawl {run.wall:6.2f} s "
                        f"{run.rate:6.1f} pages/s  cpu {run.cpu_ms:5.1f} ms/page "
                        f"(parse workers {run.workers_cpu_ms:4.1f})  "
                        f"engine {run.engine:6.2f} s  process {run.process:6.2f} s  "
                        f"pages {run.pages}  {stored}{linked}",
                        flush=True,
                    )
            if profile:
                workdir = workroot / "profile"
                prepare_store(workdir, base, pages)
                stats = workroot / "chipwire.prof"
                child("chipwire", ["--workdir", str(workdir), "--profile", str(stats)], env)
                print_profile(stats)
    finally:
        server.terminate()
        server.join()
    report(runs, pages, repeat, (before, load()))


def report(runs: list[Run], pages: int, repeat: int, loads: tuple[str, str]) -> None:
    """Medians per crawler and the ratio; CPU per page is the figure least moved by load."""

    def median(crawler: str, value: Callable[[Run], float]) -> float:
        return statistics.median(value(run) for run in runs if run.crawler == crawler)

    bare = median("bare", lambda run: run.rate)
    ours = median("chipwire", lambda run: run.rate)
    bare_total = median("bare", lambda run: run.pages / run.process)
    ours_total = median("chipwire", lambda run: run.pages / run.process)
    bare_cpu = median("bare", lambda run: run.cpu_ms)
    ours_cpu = median("chipwire", lambda run: run.cpu_ms)
    ours_workers = median("chipwire", lambda run: run.workers_cpu_ms)
    ratio = ours / bare
    print("\ncrawl throughput, chipwire spider + pipelines vs bare Scrapy (same loopback site)")
    for line in conditions(pages, repeat, len(article_templates()), loads):
        print(f"  {line}")
    for name, rate, total, cpu in (
        ("bare Scrapy", bare, bare_total, bare_cpu),
        ("chipwire", ours, ours_total, ours_cpu),
    ):
        print(
            f"  {name:<12} median {rate:7.1f} pages/s  ({total:.1f} with interpreter start-up; "
            f"CPU {cpu:.1f} ms/page)"
        )
    print(f"  chipwire CPU per page includes its parse workers' {ours_workers:.1f} ms/page")
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    print(f"  ratio chipwire/bare {ratio:.2f}x ({verdict} target {TARGET_RATIO}x)")
    print(f"  CPU-time ratio bare/chipwire per page {bare_cpu / ours_cpu:.2f}x")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=600, help="article pages to serve")
    parser.add_argument("--repeat", type=int, default=3, help="crawls of each kind")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="",
        default=None,
        help="also run one cProfile'd chipwire crawl and print where its time goes",
    )
    parser.add_argument(
        "--bare-like-chipwire",
        action="store_true",
        help="run bare Scrapy with chipwire's CONCURRENT_ITEMS instead of Scrapy's default 100",
    )
    parser.add_argument("--child", choices=("bare", "chipwire"), help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is None:
        if args.pages < 1 or args.repeat < 1:
            parser.error("--pages and --repeat must be positive")
        main_parent(args.pages, args.repeat, args.profile is not None, args.bare_like_chipwire)
        return
    if args.child == "bare":
        result = run_bare(args.base)
    else:
        result = run_chipwire(args.workdir, Path(args.profile) if args.profile else None)
    args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
