"""Retry with backoff: 429 and 5xx answers are retried after a growing pause; silent hosts not.

Scrapy's RetryMiddleware retries at once; a server that says "too many
requests" needs us to wait (its Retry-After when given, else exponential
backoff), or the retry only adds to the load that caused the refusal.

A host that accepts connections and never answers is the opposite case: every
retry costs a whole DOWNLOAD_TIMEOUT and learns nothing.  With Scrapy's
defaults it held a 28-source crawl for 240 s (robots.txt, then the feed, each
timing out four times), so once a request to a host has timed out without the
host answering anything while it waited, the host is taken as silent: that
timeout is not retried, and every later request to it fails at once with
``SilentHostError`` (counted as a timeout).  A silent host thus costs one
timeout period, whatever RETRY_TIMES says.  A host that *did* answer other
requests in the meantime is just slow on one page; its timeouts are retried as
before.  robots.txt keeps the full DOWNLOAD_TIMEOUT: a shorter one would declare a
slow but working site silent on its first request and lose the whole source.
"""

from __future__ import annotations

import asyncio
import logging
import time
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
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


# Exception class names of a download that got no answer in time (Scrapy's and Twisted's).
TIMEOUTS = frozenset({"DownloadTimeoutError", "TimeoutError", "TCPTimedOutError"})
SENT = "chipwire_sent"  # request meta: when the download was handed to the downloader


class SilentHostError(Exception):
    """A request not sent: its host already let a request time out without answering."""


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.base = crawler.settings.getfloat("CHIPWIRE_BACKOFF_BASE", 1.0)
        self.cap = crawler.settings.getfloat("CHIPWIRE_BACKOFF_MAX", 60.0)
        self.last_answer: dict[str, float] = {}  # host -> monotonic time of its last response
        self.silent: dict[str, str] = {}  # host -> the timed-out URL that made it silent

    def process_request(self, request: Request, spider: Any = None) -> None:
        host = urlparse_cached(request).netloc
        if host in self.silent:
            raise SilentHostError(
                f"{host} did not answer {self.silent[host]} within "
                f"{request.meta.get('download_timeout', '?')} s; not asked again this crawl"
            )
        request.meta[SENT] = time.monotonic()

    def process_exception(
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | Response | None:
        if type(exception).__name__ in TIMEOUTS:
            host = urlparse_cached(request).netloc
            sent = request.meta.get(SENT, 0.0)
            if host in self.silent or self.last_answer.get(host, float("-inf")) < sent:
                self.silent.setdefault(host, request.url)
                logger.warning(
                    "%s timed out and its host %s is silent: not retried", request.url, host
                )
                return None
        return super().process_exception(request, exception)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    async def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Any:
        self.last_answer[urlparse_cached(request).netloc] = time.monotonic()
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
