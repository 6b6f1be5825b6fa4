"""The crawl job: run the chosen sources' spiders in this process and report per source.

Scrapy's reactor can start only once per process, so one call crawls all the
requested sources together; the per-source results are read back from the
``job_run`` rows the spiders' extension wrote.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import CrawlerProcess
from sqlalchemy import select

from chipwire.models import JobRun, Source
from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import session_factory
from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.jobs import open_store
from chipwire.spiders.runtime import scrapy_settings, spider_classes


@dataclass
class CrawlResult:
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


def crawl_job(
    settings: Settings,
    names: list[str],
    *,
    tags: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
    refetch: bool = False,
) -> list[CrawlResult]:
    """Crawl the named sources (all enabled sources when none are named)."""
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
