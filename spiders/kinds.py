"""Generic spiders, one per source kind; a source file picks one and fills in the details.

All kinds share :class:`SourceSpider`: it turns a discovered link into a request
(canonical URL, ``follow`` filter, ``max_items`` bound, already-stored URLs
skipped), parses article pages into items, and counts what it found and every
fetch failure, so ``job_run`` can say what went wrong per source.
"""

from __future__ import annotations

import asyncio
import calendar
import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import feedparser
import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from chipwire.models import utcnow
from chipwire.spiders.addon import chipwire_settings
from chipwire.spiders.failures import ROLE, network_label, note_start_problem, record_failure
from chipwire.spiders.items import ArticleLoader
from chipwire.spiders.parsepool import parse_page_async, warm_up
from chipwire.spiders.sources import Source
from chipwire.spiders.store import CrawlStore
from chipwire.spiders.transcripts import TranscriptFetcher, TranscriptUnavailable, load_fetcher
from chipwire.spiders.urls import canonical_url

logger = logging.getLogger("chipwire.spiders")


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)


class SourceSpider(scrapy.Spider):
    """Behaviour shared by every kind; subclasses implement ``parse_start``."""

    source: ClassVar[Source]
    # Article URLs requested by any spider sharing this set: when a feed, a sitemap and a
    # listing of one site are crawled together, each article is fetched once, not three times.
    claimed: ClassVar[set[str]]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.refetch = bool(crawler.settings.getbool("CHIPWIRE_REFETCH"))
        spider.parse_workers = crawler.settings.getint("CHIPWIRE_PARSE_WORKERS", 0)
        spider.keep_html = chipwire_settings(crawler.settings).keep_raw_html
        spider.follow = [re.compile(pattern) for pattern in cls.source.follow]
        spider.requested: set[str] = set()
        spider.known: set[str] = set()
        return spider

    @property
    def stats(self) -> Any:
        return self.crawler.stats

    def prepare(self) -> None:
        """Start the parse workers and load the stored URLs, before the first request."""
        warm_up(self.parse_workers)
        if not self.refetch:
            self.known = CrawlStore.for_crawler(self.crawler).known_urls()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.prepare()
        yield scrapy.Request(
            self.source.url,
            callback=self.parse_start,
            errback=self.on_error,
            meta={ROLE: "start"},
        )

    def parse_start(self, response: Response) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- links to articles -------------------------------------------------------------

    def article_request(self, url: str, **meta: Any) -> scrapy.Request | None:
        """Request for an article link, or None if filtered, known or over the limit."""
        if not url or not url.startswith(("http://", "https://")):
            return None
        if self.follow and not any(pattern.search(url) for pattern in self.follow):
            self.stats.inc_value("chipwire/links_not_followed")
            return None
        canonical = canonical_url(url)
        self.stats.inc_value("chipwire/items_found")
        if canonical in self.requested:
            return None
        if canonical in self.known or canonical in self.claimed:
            self.stats.inc_value("chipwire/skipped_known")
            return None
        if len(self.requested) >= self.source.max_items:
            self.stats.inc_value("chipwire/skipped_max_items")
            return None
        self.requested.add(canonical)
        self.claimed.add(canonical)
        self.stats.inc_value("chipwire/article_requests")
        return scrapy.Request(
            canonical,
            callback=self.parse_article,
            errback=self.on_error,
            meta={"chipwire": meta, "request_url": url},
        )

    # -- article pages -----------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        self.stats.inc_value("chipwire/fetched")
        if not isinstance(response, TextResponse):
            self.stats.inc_value("chipwire/dropped/not_html")
            logger.info(
                "dropped not_html: %s (%s)", response.url, response.headers.get("Content-Type")
            )
            return
        hints = response.meta.get("chipwire", {})
        try:
            page, signature = await parse_page_async(
                response.text, response.url, self.source.selectors, self.parse_workers
            )
        except Exception as exc:  # a parser crash on one page must not end the crawl
            self.stats.inc_value("chipwire/dropped/parse_error")
            logger.warning(
                "dropped parse_error: %s (%s: %s)", response.url, type(exc).__name__, exc
            )
            return
        if page.listing:
            self.stats.inc_value("chipwire/dropped/listing_page")
            logger.info("dropped listing_page: %s (mostly links to other pages)", response.url)
            return
        loader = ArticleLoader()
        loader.add_value("url", response.url)
        loader.add_value("request_url", response.meta.get("request_url"))
        loader.add_value("page_canonical", page.canonical_url)
        loader.add_value("source", self.source.name)
        loader.add_value("kind", self.source.article_kind)
        loader.add_value("title", [page.title, hints.get("title")])
        loader.add_value("author", [page.author, hints.get("author")])
        loader.add_value("text", page.text)
        loader.add_value("language", page.language)
        loader.add_value("published_at", [page.published_at, hints.get("published_at")])
        loader.add_value("fetched_at", utcnow())
        if self.keep_html:
            loader.add_value("raw_html", response.text)
        item = loader.load_item()
        item["signature"] = signature  # a set: set directly, loaders would iterate it
        yield item

    # -- failures ----------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        """Count and log every failed fetch with its URL; the crawl goes on."""
        record_failure(self.stats, failure)

    def unreadable(self, response: Response, what: str, problem: object) -> None:
        """The start document (or an index page) arrived but could not be read."""
        self.stats.inc_value("chipwire/feed_problems")
        start = response.meta.get(ROLE) == "start"
        note_start_problem(self.stats, f"{what} {response.url} {problem}", start=start)
        logger.warning("%s %s %s", what, response.url, problem)


class FeedSpider(SourceSpider):
    """RSS or Atom feed: every entry's link is an article; feed metadata fills gaps."""

    def parse_start(self, response: Response) -> Iterator[scrapy.Request]:
        feed = feedparser.parse(response.body)
        if feed.bozo and not feed.entries:
            self.unreadable(response, "feed", f"could not be parsed: {feed.get('bozo_exception')}")
        elif feed.bozo:
            self.stats.inc_value("chipwire/feed_problems")
            logger.warning(
                "feed %s is malformed (%s); keeping the %d entries that parsed",
                response.url,
                feed.get("bozo_exception"),
                len(feed.entries),
            )
        for entry in feed.entries:
            request = self.article_request(
                entry.get("link", ""),
                title=entry.get("title"),
                author=entry.get("author"),
                published_at=_struct_to_datetime(
                    entry.get("published_parsed") or entry.get("updated_parsed")
                ),
            )
            if request is not None:
                yield request


class SitemapSpider(SourceSpider):
    """Sitemap, sitemap index or news sitemap; newest URLs first when lastmod is given."""

    max_sitemaps = 50

    def parse_start(self, response: Response) -> Iterator[scrapy.Request]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml raises several types on garbage
            self.unreadable(response, "sitemap", f"could not be parsed: {exc}")
            return
        entries = list(sitemap)
        if sitemap.type == "sitemapindex":
            seen = response.meta.get("sitemaps", 0)
            for entry in entries[: max(0, self.max_sitemaps - seen)]:
                yield scrapy.Request(
                    entry["loc"],
                    callback=self.parse_start,
                    errback=self.on_error,
                    meta={"sitemaps": seen + len(entries), ROLE: "index"},
                )
            return
        entries.sort(
            key=lambda e: e.get("lastmod") or e.get("publication_date") or "", reverse=True
        )
        for entry in entries:
            request = self.article_request(entry.get("loc", ""))
            if request is not None:
                yield request


class ListingSpider(SourceSpider):
    """Listing page: article links by CSS, then the next page, up to ``max_pages``."""

    def parse_start(self, response: Response) -> Iterator[scrapy.Request]:
        listing = self.source.listing
        assert listing is not None  # noqa: S101 - validated by the Source model
        if not isinstance(response, TextResponse):
            self.unreadable(response, "listing", "is not HTML")
            return
        links = response.css(listing.links).getall()
        if not links:
            logger.warning("listing %s: selector %r matched no links", response.url, listing.links)
        for link in links:
            request = self.article_request(response.urljoin(link.strip()))
            if request is not None:
                yield request
        page = response.meta.get("page", 1)
        if listing.next and page < listing.max_pages:
            next_link = response.css(listing.next).get()
            if next_link:
                yield scrapy.Request(
                    response.urljoin(next_link.strip()),
                    callback=self.parse_start,
                    errback=self.on_error,
                    meta={"page": page + 1, ROLE: "index"},
                )


class PageSpider(SourceSpider):
    """A single page that is itself the article."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.prepare()
        request = self.article_request(self.source.url)
        if request is not None:
            yield request


class VideoChannelSpider(SourceSpider):
    """Video channel: its Atom feed lists videos; each video's transcript is the article.

    Transcripts come through a :class:`TranscriptFetcher` (``youtube-transcript-api`` by
    default), named by the ``CHIPWIRE_TRANSCRIPT_FETCHER`` setting so tests inject a fake.
    """

    fetcher: TranscriptFetcher

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.fetcher = load_fetcher(crawler.settings.get("CHIPWIRE_TRANSCRIPT_FETCHER"))
        return spider

    async def parse_start(self, response: Response) -> AsyncIterator[Any]:
        feed = feedparser.parse(response.body)
        if feed.bozo and not feed.entries:
            problem = f"could not be parsed: {feed.get('bozo_exception')}"
            self.unreadable(response, "channel feed", problem)
        elif feed.bozo:
            self.stats.inc_value("chipwire/feed_problems")
            logger.warning(
                "channel feed %s is malformed: %s", response.url, feed.get("bozo_exception")
            )
        for entry in feed.entries:
            video_id = entry.get("yt_videoid")
            link = entry.get("link") or (
                f"https://www.youtube.com/watch?v={video_id}" if video_id else ""
            )
            if not video_id or self.article_request(link) is None:
                continue
            self.stats.inc_value("chipwire/fetched")
            try:
                text = await asyncio.to_thread(
                    self.fetcher.fetch, video_id, list(self.source.languages)
                )
            except TranscriptUnavailable as exc:
                self.stats.inc_value("chipwire/dropped/no_transcript")
                logger.warning("no transcript for %s: %s", link, exc)
                continue
            except Exception as exc:  # network faults of the fetcher must not end the crawl
                self.stats.inc_value(f"chipwire/network_errors/{type(exc).__name__}")
                self.stats.inc_value(
                    f"chipwire/article_failures/{network_label(type(exc).__name__)}"
                )
                logger.warning("transcript fetch failed for %s: %s", link, exc)
                continue
            loader = ArticleLoader()
            loader.add_value("url", canonical_url(link))
            loader.add_value("request_url", link)
            loader.add_value("source", self.source.name)
            loader.add_value("kind", self.source.article_kind)
            loader.add_value("title", entry.get("title"))
            loader.add_value("author", entry.get("author"))
            loader.add_value("text", text)
            loader.add_value(
                "language", self.source.languages[0] if self.source.languages else None
            )
            loader.add_value(
                "published_at",
                _struct_to_datetime(entry.get("published_parsed") or entry.get("updated_parsed")),
            )
            loader.add_value("fetched_at", utcnow())
            yield loader.load_item()


SPIDER_KINDS: dict[str, type[SourceSpider]] = {
    "rss": FeedSpider,
    "sitemap": SitemapSpider,
    "listing": ListingSpider,
    "page": PageSpider,
    "youtube": VideoChannelSpider,
}


def spider_class(source: Source, claimed: set[str] | None = None) -> type[SourceSpider]:
    """A spider class for one source, named after it so ``scrapy crawl NAME`` finds it.

    Spiders given the same ``claimed`` set never fetch the same article twice.
    """
    base = SPIDER_KINDS[source.kind]
    class_name = "".join(part.capitalize() for part in source.name.split("-")) + "Spider"
    attributes = {
        "name": source.name,
        "source": source,
        "claimed": claimed if claimed is not None else set(),
    }
    return type(class_name, (base,), attributes)
