"""Retry with backoff: 429 and 5xx answers are retried after a growing pause.

Scrapy's RetryMiddleware retries at once; a server that says "too many
requests" needs us to wait (its Retry-After when given, else exponential
backoff), or the retry only adds to the load that caused the refusal.
"""

from __future__ import annotations

import asyncio
import logging
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.response import response_status_message

from chipwire.models import utcnow

logger = logging.getLogger("chipwire.retry")


def retry_after_seconds(value: bytes | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - utcnow()).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.base = crawler.settings.getfloat("CHIPWIRE_BACKOFF_BASE", 1.0)
        self.cap = crawler.settings.getfloat("CHIPWIRE_BACKOFF_MAX", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    async def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Any:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        attempt = request.meta.get("retry_times", 0)
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is None:
            delay = self.base * (2**attempt)
        delay = min(delay, self.cap)
        if attempt < self.max_retry_times:
            logger.info("HTTP %s for %s: retrying in %.1fs", response.status, request.url, delay)
            await asyncio.sleep(delay)
        reason = response_status_message(response.status)
        return self._retry(request, reason) or response
