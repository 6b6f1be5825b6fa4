"""Crawl statistics per source into ``job_run``: what was fetched, stored, dropped and why.

A 'running' row is written when the spider opens, so a crawl killed mid-run
leaves a visible trace; the spider's close fills in counts and status.  A
source whose start document yielded no article links at all is flagged
('partial' with an explanation): it usually means the site changed its layout.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from sqlalchemy import select

from chipwire.models import JobRun, utcnow
from chipwire.spiders.store import CrawlStore

logger = logging.getLogger("chipwire.crawl")


def summarise_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """Scrapy's flat stats to the nested counts stored in job_run.counts."""
    counts: dict[str, Any] = {
        "items_found": stats.get("chipwire/items_found", 0),
        "fetched": stats.get("chipwire/fetched", 0),
        "stored": stats.get("chipwire/stored", 0),
        "duplicates_linked": stats.get("chipwire/duplicates_linked", 0),
        "skipped_known": stats.get("chipwire/skipped_known", 0),
        "skipped_max_items": stats.get("chipwire/skipped_max_items", 0),
        "feed_problems": stats.get("chipwire/feed_problems", 0),
        "requests": stats.get("downloader/request_count", 0),
        "retries": stats.get("retry/count", 0),
        "dropped": {},
        "http_errors": {},
        "network_errors": {},
    }
    for key, value in stats.items():
        for prefix, name in (
            ("chipwire/dropped/", "dropped"),
            ("chipwire/http_errors/", "http_errors"),
            ("chipwire/network_errors/", "network_errors"),
        ):
            if key.startswith(prefix):
                counts[name][key[len(prefix) :]] = value
    elapsed = stats.get("elapsed_time_seconds")
    counts["duration_s"] = round(float(elapsed), 3) if elapsed is not None else None
    return counts


class JobRunRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobRunRecorder:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        source = getattr(spider, "source", None)
        if source is None:
            return
        store = CrawlStore.for_crawler(self.crawler)
        source_id = store.source_id(source)
        with store.factory.begin() as session:
            run = JobRun(job="crawl", source_id=source_id, status="running", counts={})
            session.add(run)
            session.flush()
            self.run_id = run.id

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        store = CrawlStore.for_crawler(self.crawler)
        assert self.crawler.stats is not None  # noqa: S101
        counts = summarise_stats(self.crawler.stats.get_stats())
        status, error = "succeeded", None
        if reason != "finished":
            status, error = "failed", f"crawl ended early: {reason}"
        elif counts["items_found"] == 0:
            previous = self._previous_found(store)
            status = "partial"
            error = (
                f"zero items: {spider.source.url} yielded no article links"  # type: ignore[attr-defined]
                + (f" (previous run found {previous})" if previous else "")
            )
            logger.warning("source %s: %s", spider.name, error)
        with store.factory.begin() as session:
            run = session.get_one(JobRun, self.run_id)
            run.status, run.error, run.counts, run.finished_at = status, error, counts, utcnow()
        store.close()

    def _previous_found(self, store: CrawlStore) -> int | None:
        with store.factory() as session:
            run = session.get_one(JobRun, self.run_id)
            earlier = session.scalars(
                select(JobRun)
                .where(JobRun.source_id == run.source_id, JobRun.id < run.id)
                .where(JobRun.status.in_(("succeeded", "partial")))
                .order_by(JobRun.id.desc())
                .limit(1)
            ).first()
        return earlier.counts.get("items_found") if earlier is not None else None
