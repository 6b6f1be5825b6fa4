"""Write each article in its own transaction (a crash loses at most the item in flight)."""

from __future__ import annotations

import logging

from scrapy import Spider
from scrapy.crawler import Crawler

from chipwire.spiders.items import ArticleItem
from chipwire.spiders.store import CrawlStore

logger = logging.getLogger("chipwire.pipelines")


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        self.store = CrawlStore.for_crawler(self.crawler)
        source = getattr(self.crawler.spider, "source", None)
        self.source_id = self.store.source_id(source) if source is not None else None

    def process_item(self, item: ArticleItem) -> ArticleItem:
        article_id = self.store.save_article(dict(item), self.source_id)
        if item.get("duplicate_of_id") is None:
            self.store.near_duplicates().add(article_id, item["text"], item.get("signature"))
        assert self.crawler.stats is not None  # noqa: S101
        self.crawler.stats.inc_value("chipwire/stored")
        logger.debug("stored %s as article %s", item["canonical_url"], article_id)
        return item
