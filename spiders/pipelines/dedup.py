"""One article per document: same canonical URL or same text is dropped; a syndicated
near-copy is kept but linked to the first stored copy (``article.duplicate_of_id``)."""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler

from chipwire.spiders.items import ArticleItem
from chipwire.spiders.pipelines import drop
from chipwire.spiders.store import CrawlStore


class DedupPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen_urls: set[str] = set()
        self.seen_hashes: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        self.store = CrawlStore.for_crawler(self.crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        url, digest = item["canonical_url"], item["content_hash"]
        url_stored, text_stored = self.store.existing(url, digest)
        if url in self.seen_urls or url_stored:
            raise drop(self.crawler, item, "duplicate_url", url)
        if digest in self.seen_hashes or text_stored:
            raise drop(self.crawler, item, "duplicate_content", "same text as a stored article")
        self.seen_urls.add(url)
        self.seen_hashes.add(digest)
        original = self.store.near_duplicates().find(item["text"], item.get("signature"))
        if original is not None:
            item["duplicate_of_id"] = original
            assert self.crawler.stats is not None  # noqa: S101
            self.crawler.stats.inc_value("chipwire/duplicates_linked")
        return item
