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
from chipwire.spiders.sources import load_sources


def scrapy_settings(settings: Settings, overrides: dict[str, Any] | None = None) -> ScrapySettings:
    result = ScrapySettings()
    result.setmodule(defaults, priority="project")
    result.set("CHIPWIRE", settings, priority="project")  # the add-on derives the rest
    for key, value in (overrides or {}).items():
        result.set(key, value, priority="cmdline")
    return result


def spider_classes(settings: Settings) -> dict[str, type[SourceSpider]]:
    """One spider class per enabled source, keyed by source name, sharing one claimed set."""
    claimed: set[str] = set()
    return {
        source.name: spider_class(source, claimed)
        for source in load_sources(settings.sources_path)
        if source.enabled
    }


@dataclass
class CrawlResult:
    """One source's outcome, as its spider recorded it in ``job_run``."""

    source: str
    status: str
    counts: dict[str, Any]
    error: str | None


def select_sources(settings: Settings, names: list[str], tags: list[str]) -> list[str]:
    classes = spider_classes(settings)
    if not names and not tags:
        return sorted(classes)
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


def crawl_sources(
    settings: Settings,
    names: list[str],
    *,
    tags: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
    refetch: bool = False,
) -> list[CrawlResult]:
    """Crawl the named sources (all enabled sources when none are named) in this process.

    Scrapy's reactor can start only once per process, so one call crawls all the
    requested sources together; the per-source results are read back from the
    ``job_run`` rows the spiders' extension wrote.
    """
    engine = open_store(settings)
    chosen = select_sources(settings, names, tags or [])
    if not chosen:
        raise ChipwireError(f"no sources selected in {settings.sources_path}")
    classes = spider_classes(settings)
    options = {"SPIDER_MODULES": [], "CHIPWIRE_REFETCH": refetch, **(overrides or {})}
    process = CrawlerProcess(scrapy_settings(settings, options))
    logging.getLogger("scrapy").setLevel(options.get("LOG_LEVEL", "INFO"))
    with session_factory(engine)() as session:
        last_before = session.scalar(select(JobRun.id).order_by(JobRun.id.desc()).limit(1)) or 0
    for name in chosen:
        process.crawl(classes[name])
    process.start()
    with session_factory(engine)() as session:
        rows = session.execute(
            select(Source.name, JobRun)
            .join(JobRun, JobRun.source_id == Source.id)
            .where(JobRun.id > last_before, JobRun.job == "crawl")
            .order_by(Source.name)
        ).all()
    engine.dispose()
    return [CrawlResult(name, run.status, run.counts, run.error) for name, run in rows]
