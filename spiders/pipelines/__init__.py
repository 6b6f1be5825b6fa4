"""Item pipelines, one concern each, in order: validate, normalise, relevance, dedup, store.

Each drop names its reason; the reason is counted in the crawl statistics
(``chipwire/dropped/<reason>``) that end up in ``job_run.counts``.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from chipwire.spiders.items import ArticleItem

logger = logging.getLogger("chipwire.pipelines")


def drop(crawler: Crawler, item: ArticleItem, reason: str, detail: str = "") -> DropItem:
    """Count, log and return the DropItem for ``reason`` (the caller raises it)."""
    assert crawler.stats is not None  # noqa: S101 - Scrapy always sets stats on a crawler
    crawler.stats.inc_value(f"chipwire/dropped/{reason}")
    url = item.get("url") or item.get("request_url") or "?"
    message = f"{reason}: {url}" + (f" ({detail})" if detail else "")
    logger.info("dropped %s", message)
    return DropItem(message)
