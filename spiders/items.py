"""The article item and its loader: cleaning is declared as processors, not done in callbacks."""

from __future__ import annotations

from datetime import datetime

import scrapy
from itemloaders.processors import Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from chipwire.spiders.page import clean_text, parse_datetime


def _to_datetime(value: object) -> datetime | None:
    if isinstance(value, datetime) or value is None:
        return value
    return parse_datetime(str(value))


def _non_empty(value: str | None) -> str | None:
    return value or None


class ArticleItem(scrapy.Item):
    """One fetched document on its way through the pipelines (validate ... store)."""

    url = scrapy.Field()  # URL the response came from (after redirects)
    request_url = scrapy.Field()  # URL we asked for (feed link, sitemap loc, ...)
    canonical_url = scrapy.Field()  # set by the normalise pipeline
    page_canonical = scrapy.Field()  # <link rel=canonical> of the page, if any
    source = scrapy.Field()  # source name
    kind = scrapy.Field()  # article | press_release | transcript | filing
    title = scrapy.Field()
    author = scrapy.Field()
    text = scrapy.Field()
    language = scrapy.Field()
    published_at = scrapy.Field()
    fetched_at = scrapy.Field()
    raw_html = scrapy.Field()
    content_hash = scrapy.Field()  # set by the normalise pipeline
    duplicate_of_id = scrapy.Field()  # set by the dedup pipeline for near-copies
    signature = scrapy.Field()  # shingle set of the text (spiders.similarity), not stored


class ArticleLoader(ItemLoader):
    """First non-empty value wins, so page values added before feed values take precedence."""

    default_item_class = ArticleItem
    default_input_processor = MapCompose(_non_empty)
    default_output_processor = TakeFirst()

    # MapCompose skips None results, so _non_empty first keeps absent values out.
    title_in = MapCompose(_non_empty, clean_text, _non_empty)
    author_in = MapCompose(_non_empty, clean_text, _non_empty)
    text_in = MapCompose(_non_empty, clean_text)
    text_out = TakeFirst()
    language_in = MapCompose(_non_empty, str.lower)
    published_at_in = MapCompose(_to_datetime)
    raw_html_in = Identity()
