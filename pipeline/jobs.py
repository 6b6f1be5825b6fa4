"""Every job chipwire runs, in one place: one function per stage (the demo is in demo.py).

A job takes the settings object and keyword-only options, each with a default, so
``job(settings)`` always runs it with the usual choices and the CLI, the scheduler,
the workers and tests call exactly the same code alike (``JOBS`` names them).  A job
opens the store itself, calls its stage's one public entry and returns its counts, and
records itself in ``job_run`` (a crawl's spiders add one row per source).

The stages are imported inside their jobs: spaCy and Scrapy take seconds to import,
and ``chipwire config`` or ``chipwire sql`` should not wait for them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from chipwire.models import utcnow
from chipwire.pipeline.config import PACKAGE_ROOT, Settings
from chipwire.pipeline.db import open_store, session_factory, store_errors
from chipwire.pipeline.registry import load_registry
from chipwire.pipeline.runs import RunCounts, child_failed, recorded
from chipwire.pipeline.seed import SeedCounts, seed_registry

if TYPE_CHECKING:
    from chipwire.pipeline.market.bars import PriceSource

# Seeded random walks, not real prices: see pipeline/data/sample_prices.README.md.
SAMPLE_PRICES = PACKAGE_ROOT / "pipeline" / "data" / "sample_prices.csv"


@contextmanager
def progress_bar(label: str, show: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar fed by ``advance(done, total)``; nothing when not shown."""
    if not show:
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


def seed_job(settings: Settings, *, registry: Path | None = None) -> SeedCounts:
    """Load the registry file (``registry``, else the configured one) and sync it into the store."""
    registry_data = load_registry(registry or settings.registry_path)
    engine = open_store(settings)
    factory = session_factory(engine)
    with store_errors(engine), recorded(factory, "seed") as counts:
        with factory.begin() as session:
            result = seed_registry(session, registry_data)
        counts.update(result.as_dict())
    engine.dispose()
    return result


def crawl_job(
    settings: Settings,
    *,
    names: Sequence[str] = (),
    tags: Sequence[str] = (),
    overrides: dict[str, Any] | None = None,
    refetch: bool = False,
    isolated: bool = False,
    timeout: float | None = None,
    progress: Callable[[Any], None] | None = None,
) -> list[Any]:
    """Crawl the named sources (all enabled ones when none are named) into the store.

    Each source records its own run; the crawl as a whole is one 'crawl' run more (no
    source), 'partial' when some sources failed, so ``chipwire status`` can say how the
    stage went.  ``isolated`` crawls in a child process stopped after ``timeout`` seconds
    (default ``crawl_timeout``): what the scheduler does, since Scrapy's reactor cannot
    start twice in one process.  ``progress`` gets each source's progress as the crawl goes
    (in-process crawls only).
    """
    engine = open_store(settings)
    factory = session_factory(engine)
    if isolated:
        # the child's own `chipwire crawl` records the crawl; here only what it cannot
        with store_errors(engine):
            results = _crawl_child(factory, settings, names, tags, overrides, refetch, timeout)
        engine.dispose()
        return results
    from chipwire.spiders.runtime import crawl_sources

    with store_errors(engine), recorded(factory, "crawl") as counts:
        results = list(
            crawl_sources(
                settings,
                list(names),
                tags=list(tags),
                overrides=overrides,
                refetch=refetch,
                progress=progress,
            )
        )
        summarise_crawl(results, counts)
    engine.dispose()
    return results


def backfill_job(
    settings: Settings,
    locations: Sequence[str] = (),
    *,
    isolated: bool = False,
    timeout: float | None = None,
    extract: bool = True,
    overrides: dict[str, Any] | None = None,
    progress: Callable[[Any], None] | None = None,
) -> list[Any]:
    """Read WARC files (paths or URLs) into the store through the crawl's own pipelines,
    then extract what is new (``extract=False``: leave that to the extraction stage).

    Each file records its own 'backfill' run (counts under ``warc``); the backfill as a
    whole is one more, like a crawl.  ``isolated`` reads them in a child process stopped
    after ``timeout`` seconds (default ``crawl_timeout``): what a worker's task does.
    """
    from chipwire.pipeline.errors import ChipwireError

    if not locations:
        raise ChipwireError("backfill needs at least one WARC file or URL")
    engine = open_store(settings)
    factory = session_factory(engine)
    if isolated:
        from chipwire.pipeline.crawlproc import CrawlProcessError, backfill_in_child

        started = utcnow()
        with store_errors(engine):
            try:
                results: list[Any] = backfill_in_child(settings, locations, timeout=timeout)
            except CrawlProcessError as exc:
                child_failed(factory, "backfill", exc.pid, str(exc), started)
                raise
    else:
        from chipwire.spiders.archive import backfill_files

        with store_errors(engine), recorded(factory, "backfill") as counts:
            results = backfill_files(settings, list(locations), overrides, progress)
            summarise_crawl(results, counts)
    engine.dispose()
    if extract:
        extract_job(settings, show_progress=False)
    return results


def _crawl_child(
    factory: sessionmaker[Session],
    settings: Settings,
    names: Sequence[str],
    tags: Sequence[str],
    overrides: dict[str, Any] | None,
    refetch: bool,
    timeout: float | None,
) -> list[Any]:
    """A crawl in a child process; a child that timed out or crashed has its runs closed
    as failed with the reason (or one failed 'crawl' run recorded if it wrote none)."""
    from chipwire.pipeline.crawlproc import CrawlProcessError, crawl_in_child

    if refetch:
        overrides = {**(overrides or {}), "CHIPWIRE_REFETCH": True}
    started = utcnow()
    try:
        return list(
            crawl_in_child(settings, names=names, tags=tags, overrides=overrides, timeout=timeout)
        )
    except CrawlProcessError as exc:
        child_failed(factory, "crawl", exc.pid, str(exc), started)
        raise


def summarise_crawl(results: Sequence[Any], counts: RunCounts) -> None:
    """The whole crawl's counts and outcome from its sources' results."""
    failed = [r for r in results if r.status in ("failed", "abandoned")]
    partial = [r for r in results if r.status == "partial"]
    counts.update(
        sources=len(results),
        stored=sum(int(r.counts.get("stored", 0)) for r in results),
        fetched=sum(int(r.counts.get("fetched", 0)) for r in results),
        failed=[r.source for r in failed],
        partial=[r.source for r in partial],
    )
    troubled = failed + partial
    if not troubled:
        return
    detail = "; ".join(f"{r.source}: {r.error or r.status}" for r in troubled[:5])
    more = f" (and {len(troubled) - 5} more)" if len(troubled) > 5 else ""
    status = "failed" if results and len(failed) == len(results) else "partial"
    counts.outcome(status, f"{len(troubled)} of {len(results)} sources: {detail}{more}"[:4000])


def extract_job(
    settings: Settings,
    *,
    all_articles: bool = False,
    batch_size: int = 32,
    processes: int = 1,
    show_progress: bool = True,
) -> dict[str, int]:
    """Extract mentions, deals, claims and candidates from new or changed articles."""
    from chipwire.pipeline.extract.nlp import build_nlp
    from chipwire.pipeline.extract.run import extract_articles

    engine = open_store(settings)
    factory = session_factory(engine)
    nlp = build_nlp(settings.registry_path, model=settings.spacy_model)
    with store_errors(engine), recorded(factory, "extract") as counts:
        counts.update(
            extract_articles(
                engine,
                factory,
                nlp,
                all_articles=all_articles,
                batch_size=batch_size,
                processes=processes,
                show_progress=show_progress,
            )
        )
    engine.dispose()
    return counts


def extract_batch_job(
    settings: Settings, *, claim: str | None = None, size: int | None = None
) -> dict[str, Any]:
    """Extract one claimed batch of pending articles (a worker's task; ``claim`` is the
    task id, the same when the broker redelivers the task, so the batch is resumed).

    Recorded as 'extract-batch': a round of them makes one extraction of the store.
    """
    from chipwire.pipeline.extract.batches import extract_claimed

    engine = open_store(settings)
    factory = session_factory(engine)
    nlp = worker_nlp(settings)
    lease = dt.timedelta(seconds=settings.task_visibility_timeout)
    claim = claim or f"once-{uuid.uuid4()}"  # a batch run by hand resumes nothing
    with store_errors(engine), recorded(factory, "extract-batch") as counts:
        counts["claim"] = claim
        counts.update(
            extract_claimed(factory, nlp, claim, size=size or settings.extract_batch, lease=lease)
        )
    engine.dispose()
    return counts


_nlp_cache: dict[tuple[str, str | None], Any] = {}


def worker_nlp(settings: Settings) -> Any:
    """The extraction pipeline, built once per process: a worker runs many batches, and
    building the pipeline costs more than a batch of short articles."""
    from chipwire.pipeline.extract.nlp import build_nlp

    key = (str(settings.registry_path), settings.spacy_model)
    if key not in _nlp_cache:
        _nlp_cache[key] = build_nlp(settings.registry_path, model=settings.spacy_model)
    return _nlp_cache[key]


def market_refresh_job(
    settings: Settings,
    *,
    since: dt.date | None = None,
    symbols: Sequence[str] = (),
    csv: Path | None = None,
    show_progress: bool = False,
    source: PriceSource | None = None,
    analyse: bool = True,
) -> dict[str, Any]:
    """Fetch daily prices for every listed company and the benchmarks, then re-analyse
    (``analyse=False``: a worker's batch of symbols; the round's last batch analyses).

    ``source`` replaces the configured one (tests inject a fake yfinance); each symbol's
    problems are recorded in the run's counts and never stop the other symbols.
    """
    from chipwire.pipeline.market.refresh import listed, refresh_prices
    from chipwire.pipeline.market.sources import price_source

    engine = open_store(settings)
    factory = session_factory(engine)
    with factory() as session:
        exchanges = listed(session)
    benchmarks = [settings.benchmark, settings.market_index]
    csv = csv or settings.prices_csv
    wanted = list(dict.fromkeys(symbols or [*sorted(exchanges), *benchmarks]))
    # the bundled synthetic prices are stored as source 'sample', so a briefing can say so
    label = "sample" if csv == SAMPLE_PRICES else "csv"
    source = source or price_source(
        exchanges, csv=csv, csv_label=label, history_days=settings.history_days
    )
    with store_errors(engine), recorded(factory, "market-refresh") as counts:
        counts["source"] = source.name
        with progress_bar("fetching prices", show_progress) as advance:
            refreshed = refresh_prices(factory, source, wanted, since=since, progress=advance)
        counts.update(refreshed.as_counts())
    engine.dispose()
    if analyse:
        counts["analysis"] = market_analyse_job(settings)
    return counts


def market_analyse_job(settings: Settings) -> dict[str, Any]:
    """Rebuild company_week and deal_reaction from the stored prices and news."""
    from chipwire.pipeline.market.analyse import analyse_market

    engine = open_store(settings)
    factory = session_factory(engine)
    with store_errors(engine), recorded(factory, "market-analyse") as counts:
        result = analyse_market(factory, settings.benchmark)
        counts.update(
            company_weeks=result.company_weeks,
            reactions=result.reactions,
            skipped=[f"{which}: {why}" for which, why in result.skipped],
        )
    engine.dispose()
    return counts


def brief_job(
    settings: Settings, *, week: str | None = None, out: Path | None = None, busiest: bool = False
) -> dict[str, Any]:
    """Render one ISO week's briefing (default: the week of the newest article; ``"last"``:
    the last complete week; ``busiest``: the week with the most articles) and the archive
    index; returns the page and week."""
    from chipwire.reports.queries import busiest_week_start, latest_report
    from chipwire.reports.render import write_week
    from chipwire.reports.week import parse_week, week_at

    engine = open_store(settings)
    factory = session_factory(engine)
    target = out or settings.data_dir / "briefings"
    with store_errors(engine), recorded(factory, "brief") as counts:
        with factory() as session:
            if week == "last":  # the last complete week: what a Monday-morning schedule wants
                chosen = week_at(utcnow() - dt.timedelta(days=7), settings.timezone)
            elif week is not None:
                chosen = parse_week(week, settings.timezone)
            else:
                moment = busiest_week_start(session) if busiest else latest_report(session)
                chosen = week_at(moment or utcnow(), settings.timezone)
            page = write_week(session, chosen, target)
        counts.update(week=chosen.label, page=str(page))
    engine.dispose()
    return counts


# The jobs a schedule or a worker may name, each callable as ``JOBS[name](settings, **options)``.
JOBS: dict[str, Callable[..., Any]] = {
    "seed": seed_job,
    "crawl": crawl_job,
    "extract": extract_job,
    "extract-batch": extract_batch_job,
    "market-refresh": market_refresh_job,
    "market-analyse": market_analyse_job,
    "brief": brief_job,
}
