"""Archive backfill: WARC files through the crawl's own parsing, pipelines and records.

An archived HTML response is what a spider would have fetched, so it takes exactly the
crawl's path: ``SourceSpider.parse_article`` (trafilatura, the item loader), then the item
pipelines (validate, normalise, relevance, dedup, store) and the ``job_run`` recorder.
Only the fetching differs: ``start()`` reads the file and yields the items itself.  One
crawler per file, so each file gets its own ``job_run`` row ('backfill', its counts under
``warc``); an article whose URL is already stored is not even parsed, which makes a
second run of the same file cheap and add nothing.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any, ClassVar

from scrapy.crawler import CrawlerProcess
from scrapy.http import HtmlResponse, Request
from sqlalchemy import select

from chipwire.models import JobRun
from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import open_store, session_factory
from chipwire.spiders.failures import note_start_problem
from chipwire.spiders.kinds import SourceSpider
from chipwire.spiders.progress import ProgressCallback, ProgressWatcher, SourceProgress
from chipwire.spiders.runtime import CrawlResult, scrapy_settings
from chipwire.spiders.sources import Source
from chipwire.spiders.urls import canonical_url
from chipwire.spiders.warc import WarcError, WarcTally, html_records, open_warc

logger = logging.getLogger("chipwire.backfill")

BACKFILL = Source(
    name="warc-backfill",
    kind="warc",
    url="https://commoncrawl.org/blog/news-dataset-available",
    tags=("archive",),
    notes="Articles read from WARC files by `chipwire backfill`.",
)


class WarcSpider(SourceSpider):
    """Yields the articles of one WARC file (``location``: path or URL) as a crawl would."""

    name = "warc-backfill"
    source: ClassVar[Source] = BACKFILL
    claimed: ClassVar[set[str]] = set()
    run_job = "backfill"
    location: str

    async def start(self) -> AsyncIterator[Any]:
        # Records are parsed one after another here, so a parse worker process would add
        # only the copy of every page between processes: files run in parallel instead,
        # one per worker (bench/scaleout_backfill.py).
        self.parse_workers = 0
        self.prepare()
        tally = WarcTally()
        try:
            with open_warc(self.location) as stream:
                for record in html_records(stream, self.location, tally):
                    async for item in self._articles(record):
                        yield item
        except WarcError as exc:  # unreadable from the start: failed; later: partial
            note_start_problem(self.stats, str(exc), start=tally.records == 0)
            logger.warning("%s", exc)
        except Exception as exc:  # a reader crash mid-file keeps what was stored before it
            note_start_problem(self.stats, f"{self.location}: unreadable ({exc})", start=False)
            logger.warning("%s: stopped reading: %s", self.location, exc)
        finally:
            self._count(tally)

    async def _articles(self, record: Any) -> AsyncIterator[Any]:
        self.stats.inc_value("chipwire/items_found")
        canonical = canonical_url(record.url) if record.url.startswith("http") else ""
        if not canonical:
            self.stats.inc_value("chipwire/dropped/missing_url")
            return
        if canonical in self.requested:
            self.stats.inc_value("chipwire/dropped/duplicate_url")
            return
        if canonical in self.known:
            self.stats.inc_value("chipwire/skipped_known")
            return
        self.requested.add(canonical)
        response = HtmlResponse(
            url=record.url,
            request=Request(record.url),  # parse_article reads the request's meta
            body=record.body,
            headers=record.headers,
            encoding=record.charset or "",  # empty: detected from the page, as Scrapy does
        )
        async for item in self.parse_article(response):
            yield item

    def _count(self, tally: WarcTally) -> None:
        self.stats.set_value("chipwire/warc/records", tally.records)
        self.stats.set_value("chipwire/warc/html", tally.html)
        for reason, count in tally.skipped.items():
            self.stats.set_value(f"chipwire/warc/{reason}", count)
        if tally.truncated_at is not None:
            note_start_problem(
                self.stats,
                f"{self.location}: truncated record at byte {tally.truncated_at}; "
                "the records before it were read",
                start=False,
            )


def backfill_files(
    settings: Settings,
    locations: list[str],
    overrides: dict[str, Any] | None = None,
    progress: ProgressCallback | None = None,
) -> list[CrawlResult]:
    """Backfill WARC files in this process, one crawler per file; results in their order.

    Scrapy's reactor starts once per process: one call reads all the files together.
    """
    engine = open_store(settings)
    factory = session_factory(engine)
    with factory() as session:
        before = session.scalar(select(JobRun.id).order_by(JobRun.id.desc()).limit(1)) or 0
    options = {"SPIDER_MODULES": [], "CHIPWIRE_REFETCH": False, **(overrides or {})}
    process = CrawlerProcess(scrapy_settings(settings, options))
    logging.getLogger("scrapy").setLevel(options.get("LOG_LEVEL", "INFO"))
    watchers: list[ProgressWatcher] = []  # signal receivers are weak references: keep them
    for location in locations:
        spider = type("WarcFileSpider", (WarcSpider,), {"location": location})
        crawler = process.create_crawler(spider)
        if progress is not None:
            watchers.append(ProgressWatcher(crawler, location, progress))
            progress(SourceProgress(location, "waiting"))
        process.crawl(crawler)
    process.start()
    with factory() as session:
        runs = session.scalars(
            select(JobRun).where(JobRun.id > before, JobRun.job == "backfill").order_by(JobRun.id)
        ).all()
        by_file = {run.counts.get("file"): run for run in runs if run.source_id is not None}
    engine.dispose()
    results = []
    for location in locations:
        run = by_file.get(location)
        if run is None:
            results.append(CrawlResult(location, "failed", {}, "no run was recorded"))
        else:
            results.append(CrawlResult(location, run.status, run.counts, run.error))
    return results
