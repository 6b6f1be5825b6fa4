"""How a source's run is judged, and when a host counts as silent: the rules without a crawl.

The end-to-end behaviour is in ``test_crawl_truthful``; these pin the rules down for
cases a local server cannot stage (a DNS failure would need a resolver, and no test
may ask a real one), and for the silent-host bookkeeping's timing.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from chipwire.spiders.extensions import summarise_stats
from chipwire.spiders.failures import ROLE, record_failure
from chipwire.spiders.middlewares import BackoffRetryMiddleware, SilentHostError
from chipwire.spiders.outcome import judge_run

URL = "http://news.example/feed.xml"


class Stats:
    """The part of Scrapy's stats collector the failure bookkeeping uses."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def failed(exception: Exception, url: str, **meta: Any) -> Failure:
    failure = Failure(exception)
    failure.request = Request(url, meta=meta)  # type: ignore[attr-defined]
    return failure


def judged(stats: Stats) -> tuple[str, str | None]:
    return judge_run(
        summarise_stats(stats.values),
        reason="finished",
        start_url=URL,
        start_error=stats.get_value("chipwire/start_error"),
        index_error=stats.get_value("chipwire/index_error"),
    )


def test_article_links_that_all_fail_dns_are_a_failed_run() -> None:
    stats = Stats()
    stats.inc_value("chipwire/items_found", 3)
    stats.inc_value("chipwire/article_requests", 3)
    for n in range(3):
        record_failure(stats, failed(CannotResolveHostError("no such host"), f"http://x{n}.test/"))

    assert judged(stats) == ("failed", "all 3 article links failed: DNS lookup failed ×3")
    assert summarise_stats(stats.values)["network_errors"] == {"CannotResolveHostError": 3}


def test_mixed_failures_are_tallied_most_frequent_first() -> None:
    stats = Stats()
    stats.inc_value("chipwire/items_found", 12)
    stats.inc_value("chipwire/article_requests", 12)
    stats.inc_value("chipwire/stored", 1)
    for n in range(9):
        response = Response(f"http://x.test/{n}", status=404)
        record_failure(stats, failed(HttpError(response), response.url))
    for n in range(2):
        record_failure(stats, failed(DownloadTimeoutError("slow"), f"http://x.test/t{n}"))

    assert judged(stats) == (
        "partial",
        "11 of 12 article links failed: HTTP 404 ×9, timeout ×2",
    )


def test_start_document_failure_wins_over_zero_items() -> None:
    stats = Stats()
    record_failure(stats, failed(CannotResolveHostError("no such host"), URL, **{ROLE: "start"}))
    assert judged(stats) == ("failed", f"{URL} could not be fetched: DNS lookup failed")


def test_a_later_listing_page_failing_is_partial() -> None:
    stats = Stats()
    stats.inc_value("chipwire/items_found", 4)
    stats.inc_value("chipwire/stored", 4)
    page = "http://news.example/news?page=2"
    record_failure(stats, failed(DownloadTimeoutError("slow"), page, **{ROLE: "index"}))
    assert judged(stats) == ("partial", f"{page} could not be fetched: timeout")


def test_spider_stopped_early_is_failed() -> None:
    status, error = judge_run({}, reason="shutdown", start_url=URL)
    assert (status, error) == ("failed", "crawl ended early: shutdown")


# -- silent hosts ------------------------------------------------------------------------


class _Spider(Spider):
    name = "probe"


@pytest.fixture
def middleware() -> BackoffRetryMiddleware:
    crawler = get_crawler(_Spider, {"RETRY_TIMES": 3})
    crawler.spider = _Spider.from_crawler(crawler)
    return BackoffRetryMiddleware.from_crawler(crawler)


def sent(middleware: BackoffRetryMiddleware, url: str) -> Request:
    request = Request(url, meta={"download_timeout": 1})
    middleware.process_request(request)
    return request


def answered(middleware: BackoffRetryMiddleware, request: Request) -> None:
    asyncio.run(middleware.process_response(request, Response(request.url, status=200)))


def test_timeout_of_a_host_that_never_answered_is_not_retried_and_fails_the_rest_fast(
    middleware: BackoffRetryMiddleware,
) -> None:
    robots = sent(middleware, "http://127.0.0.1:9/robots.txt")
    assert middleware.process_exception(robots, DownloadTimeoutError("took too long")) is None
    with pytest.raises(
        SilentHostError, match=re.escape("did not answer http://127.0.0.1:9/robots.txt")
    ):
        sent(middleware, "http://127.0.0.1:9/feed.xml")
    # other hosts are not affected
    assert sent(middleware, "http://127.0.0.1:10/feed.xml").meta["download_timeout"] == 1


def test_timeout_of_a_host_answering_other_requests_meanwhile_is_retried(
    middleware: BackoffRetryMiddleware,
) -> None:
    slow = sent(middleware, "http://127.0.0.1:9/news/slow.html")
    fast = sent(middleware, "http://127.0.0.1:9/news/fast.html")
    answered(middleware, fast)  # the host is alive: the slow page is just slow
    retry = middleware.process_exception(slow, DownloadTimeoutError("took too long"))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert sent(middleware, "http://127.0.0.1:9/news/next.html").url.endswith("next.html")


def test_other_network_errors_keep_their_retries(middleware: BackoffRetryMiddleware) -> None:
    request = sent(middleware, "http://127.0.0.1:9/feed.xml")
    retry = middleware.process_exception(request, CannotResolveHostError("no such host"))
    assert isinstance(retry, Request)
    assert sent(middleware, "http://127.0.0.1:9/other.xml") is not None
