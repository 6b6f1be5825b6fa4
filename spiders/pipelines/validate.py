"""Drop what cannot be an article: no URL, no or too little text, garbled text, wrong language."""

from __future__ import annotations

from scrapy.crawler import Crawler

from chipwire.pipeline.config import Settings
from chipwire.spiders.addon import chipwire_settings
from chipwire.spiders.items import ArticleItem
from chipwire.spiders.page import english_ratio
from chipwire.spiders.pipelines import drop

# More replacement characters than this share of the text means the bytes were not
# decodable with the declared charset: the text would poison extraction.
MAX_REPLACEMENT_SHARE = 0.002


class ValidatePipeline:
    def __init__(self, crawler: Crawler, settings: Settings) -> None:
        self.crawler = crawler
        self.min_words = settings.min_words
        self.languages = {language.lower() for language in settings.languages}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler, chipwire_settings(crawler.settings))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if not item.get("url"):
            raise drop(self.crawler, item, "missing_url")
        text = item.get("text") or ""
        if not text.strip():
            raise drop(self.crawler, item, "empty_body")
        words = len(text.split())
        if words < self.min_words:
            raise drop(self.crawler, item, "too_short", f"{words} words < {self.min_words}")
        bad = text.count("\ufffd")
        if bad > 3 and bad / len(text) > MAX_REPLACEMENT_SHARE:
            raise drop(self.crawler, item, "bad_encoding", f"{bad} undecodable characters")
        language = item.get("language")
        if language is None and english_ratio(text) < 0.05:
            raise drop(self.crawler, item, "unsupported_language", "language unknown")
        if language is not None and language not in self.languages:
            raise drop(self.crawler, item, "unsupported_language", language)
        return item
