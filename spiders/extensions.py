"""Crawl statistics per source into ``job_run``: what was fetched, stored, dropped and why.

A 'running' row is written when the spider opens, so a crawl killed mid-run
leaves a visible trace; the spider's close fills in counts, status and error,
judged by ``spiders.outcome`` (a start document that could not be fetched, article
links that all failed, a start document with no links...).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from sqlalchemy import select

from chipwire.models import JobRun, utcnow
from chipwire.spiders.outcome import judge_run
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
        "article_requests": stats.get("chipwire/article_requests", 0),
        "requests": stats.get("downloader/request_count", 0),
        "retries": stats.get("retry/count", 0),
        "dropped": {},
        "http_errors": {},
        "network_errors": {},
        "article_failures": {},
    }
    for key, value in stats.items():
        for prefix, name in (
            ("chipwire/dropped/", "dropped"),
            ("chipwire/http_errors/", "http_errors"),
            ("chipwire/network_errors/", "network_errors"),
            ("chipwire/article_failures/", "article_failures"),
            ("chipwire/warc/", "warc"),  # a backfill's records: read, html, skipped by reason
        ):
            if key.startswith(prefix):
                counts.setdefault(name, {})[key[len(prefix) :]] = value
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
            # a WARC backfill records its file as a 'backfill' run; a source, as a 'crawl'
            job = getattr(spider, "run_job", "crawl")
            run = JobRun(job=job, source_id=source_id, status="running", counts=self._file(spider))
            session.add(run)
            session.flush()
            self.run_id = run.id

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        store = CrawlStore.for_crawler(self.crawler)
        assert self.crawler.stats is not None  # noqa: S101
        counts = {**self._file(spider), **summarise_stats(self.crawler.stats.get_stats())}
        stats = self.crawler.stats
        archive = "file" in counts
        status, error = judge_run(
            counts,
            reason=reason,
            start_url=counts.get("file") or spider.source.url,  # type: ignore[attr-defined]
            start_error=stats.get_value("chipwire/start_error"),
            index_error=stats.get_value("chipwire/index_error"),
            previous_found=(
                self._previous_found(store) if counts["items_found"] == 0 and not archive else None
            ),
        )
        if status != "succeeded":
            # INFO: `chipwire crawl` ends with these as warnings; `scrapy crawl` shows INFO
            logger.info("source %s %s: %s", spider.name, status, error)
        with store.factory.begin() as session:
            run = session.get_one(JobRun, self.run_id)
            run.status, run.error, run.counts, run.finished_at = status, error, counts, utcnow()
        store.close()

    @staticmethod
    def _file(spider: Spider) -> dict[str, Any]:
        location = getattr(spider, "location", None)
        return {"file": location} if location else {}

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
