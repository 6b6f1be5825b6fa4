"""The collection stage's entry: Scrapy settings, spider classes and a whole crawl.

The one bridge between chipwire's settings (pydantic) and Scrapy's: the crawl job,
``scrapy crawl`` and tests all build their crawls here.  ``crawl_sources`` is what
the crawl job calls.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings
from sqlalchemy import select

from chipwire.models import JobRun, Source
from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import open_store, session_factory
from chipwire.pipeline.errors import ChipwireError
from chipwire.spiders import settings as defaults
from chipwire.spiders.kinds import SourceSpider, spider_class
from chipwire.spiders.progress import ProgressCallback, ProgressWatcher, SourceProgress
from chipwire.spiders.sources import SourceError, SourceProblem, scan_sources

logger = logging.getLogger("chipwire.crawl")


def scrapy_settings(settings: Settings, overrides: dict[str, Any] | None = None) -> ScrapySettings:
    result = ScrapySettings()
    result.setmodule(defaults, priority="project")
    result.set("CHIPWIRE", settings, priority="project")  # the add-on derives the rest
    for key, value in (overrides or {}).items():
        result.set(key, value, priority="cmdline")
    return result


def source_spiders(
    settings: Settings,
) -> tuple[dict[str, type[SourceSpider]], list[SourceProblem]]:
    """One spider class per enabled source (sharing one claimed set), and the files left out."""
    registry, problems = scan_sources(settings.sources_path)
    claimed: set[str] = set()
    classes = {source.name: spider_class(source, claimed) for source in registry if source.enabled}
    return classes, problems


def spider_classes(settings: Settings) -> dict[str, type[SourceSpider]]:
    """One spider class per enabled source; a malformed source file is logged and left out."""
    classes, problems = source_spiders(settings)
    for problem in problems:
        logger.warning("source file left out: %s", problem)
    return classes


@dataclass
class CrawlResult:
    """One source's outcome, as its spider recorded it in ``job_run``."""

    source: str
    status: str
    counts: dict[str, Any]
    error: str | None


def select_sources(settings: Settings, names: list[str], tags: list[str]) -> list[str]:
    classes, problems = source_spiders(settings)
    return _select(settings, classes, problems, names, tags)


def _select(
    settings: Settings,
    classes: dict[str, type[SourceSpider]],
    problems: list[SourceProblem],
    names: list[str],
    tags: list[str],
) -> list[str]:
    if not names and not tags:
        return sorted(classes)
    broken = {problem.name: problem for problem in problems if problem.name not in classes}
    for name in names:
        if name in broken:
            raise SourceError(f"source {name!r} cannot be crawled: {broken[name]}")
    unknown = [name for name in names if name not in classes]
    if unknown:
        raise ChipwireError(
            f"unknown source(s) {', '.join(unknown)} in {settings.sources_path}; "
            "`chipwire sources` lists them"
        )
    chosen = set(names)
    for name, cls in classes.items():
        if set(tags) & set(cls.source.tags):
            chosen.add(name)
    return sorted(chosen)


def problem_result(problem: SourceProblem) -> CrawlResult:
    """A malformed source file as a failed source in the crawl's results."""
    return CrawlResult(problem.name, "failed", {}, f"source file not loaded: {problem}")


def crawl_sources(
    settings: Settings,
    names: list[str],
    *,
    tags: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
    refetch: bool = False,
    progress: ProgressCallback | None = None,
) -> list[CrawlResult]:
    """Crawl the named sources (all enabled sources when none are named) in this process.

    Scrapy's reactor can start only once per process, so one call crawls all the
    requested sources together; the per-source results are read back from the
    ``job_run`` rows the spiders' extension wrote.  A malformed source file does not
    stop the others: crawling all sources (or by tag), it comes back as a failed
    result naming the file; named explicitly, it is an error.  ``progress`` is called
    with each source's :class:`SourceProgress` as the crawl goes.
    """
    options = {"SPIDER_MODULES": [], "CHIPWIRE_REFETCH": refetch, **(overrides or {})}
    engine = open_store(settings)
    classes, problems = source_spiders(settings)
    chosen = _select(settings, classes, problems, names, tags or [])
    unreported = [] if names else [problem_result(problem) for problem in problems]
    for problem in problems:
        logger.warning("source file left out: %s", problem)
    if not chosen:
        if unreported:
            engine.dispose()
            return unreported
        raise ChipwireError(f"no sources selected in {settings.sources_path}")
    process = CrawlerProcess(scrapy_settings(settings, options))
    logging.getLogger("scrapy").setLevel(options.get("LOG_LEVEL", "INFO"))
    with session_factory(engine)() as session:
        last_before = session.scalar(select(JobRun.id).order_by(JobRun.id.desc()).limit(1)) or 0
    watchers: list[ProgressWatcher] = []  # signal receivers are weak references: keep them
    for name in chosen:
        crawler = process.create_crawler(classes[name])
        if progress is not None:
            watchers.append(ProgressWatcher(crawler, name, progress))
            progress(SourceProgress(name, "waiting"))
        process.crawl(crawler)
    process.start()
    with session_factory(engine)() as session:
        rows = session.execute(
            select(Source.name, JobRun)
            .join(JobRun, JobRun.source_id == Source.id)
            .where(JobRun.id > last_before, JobRun.job == "crawl")
            .order_by(Source.name)
        ).all()
    engine.dispose()
    results = [CrawlResult(name, run.status, run.counts, run.error) for name, run in rows]
    # a crawl stopped (SIGTERM, Ctrl-C) before a spider opened leaves no row for it: that
    # source was not crawled, and a crawl of sources that never started did not succeed
    ran = {result.source for result in results}
    unstarted = [
        CrawlResult(name, "failed", {}, "not crawled: the crawl was stopped before it started")
        for name in chosen
        if name not in ran
    ]
    return sorted(results + unstarted + unreported, key=lambda result: result.source)
