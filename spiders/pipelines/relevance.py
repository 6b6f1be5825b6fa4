"""Keep only articles that name a registry company or product (per-source switch)."""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler

from chipwire.pipeline.config import Settings
from chipwire.pipeline.registry import load_registry
from chipwire.spiders.addon import chipwire_settings
from chipwire.spiders.items import ArticleItem
from chipwire.spiders.pipelines import drop
from chipwire.spiders.relevance import CompanyMatcher


class RelevancePipeline:
    def __init__(self, crawler: Crawler, settings: Settings) -> None:
        self.crawler = crawler
        self.settings = settings
        self.matcher: CompanyMatcher | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevancePipeline:
        return cls(crawler, chipwire_settings(crawler.settings))

    def open_spider(self, spider: Spider | None = None) -> None:
        self.matcher = CompanyMatcher.from_registry(load_registry(self.settings.registry_path))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        source = getattr(self.crawler.spider, "source", None)
        if source is not None and not source.relevance_filter:
            return item
        assert self.matcher is not None  # noqa: S101 - set in open_spider
        if self.matcher.first_match(f"{item.get('title') or ''}\n{item['text']}") is None:
            raise drop(self.crawler, item, "off_topic", "names no registry company or product")
        return item
