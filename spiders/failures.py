"""What went wrong with a fetch, in words an operator reads: counted per source and role.

Scrapy's failures are exception classes (``DownloadTimeoutError``,
``CannotResolveHostError``...); ``job_run.counts`` keeps those names, but a run's
error message needs the plain reason ("timeout", "DNS lookup failed", "HTTP 404").
A failure also matters differently by what was being fetched: the start document
(feed, sitemap, listing page) failing means the source was not read at all, an
article failing means one story is missing.  ``record_failure`` counts both kinds
apart, so the run's outcome can say which (see ``spiders.outcome``).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

logger = logging.getLogger("chipwire.spiders")

# Request meta key naming what a request fetches: "start" (the source's URL), "index"
# (a later listing page or a child sitemap), absent for articles.
ROLE = "chipwire_role"

# Scrapy's and Twisted's exception class names, by what they mean to an operator.
_LABELS = {
    "DownloadTimeoutError": "timeout",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "SilentHostError": "timeout",
    "CannotResolveHostError": "DNS lookup failed",
    "DNSLookupError": "DNS lookup failed",
    "DownloadConnectionRefusedError": "connection refused",
    "ConnectionRefusedError": "connection refused",
    "ResponseDataLossError": "connection dropped",
    "ConnectionLost": "connection dropped",
    "ConnectionDone": "connection dropped",
    "ResponseNeverReceived": "connection dropped",
    "ResponseFailed": "connection dropped",
    "DownloadFailedError": "download failed",
}

# Scrapy's wording for why it ignored a request (RobotsTxtMiddleware, HttpCompressionMiddleware
# on a body that decompresses past DOWNLOAD_MAXSIZE).  Whole phrases with spaces, because the
# message often quotes the URL, and ".../robots-need-chips.html" must not count as robots.
_IGNORED = (
    ("Forbidden by robots.txt", "robots"),
    ("exceeded DOWNLOAD_MAXSIZE", "too_large"),
)


def network_label(name: str) -> str:
    """The operator's word for a network exception class name (the name itself if unknown)."""
    return _LABELS.get(name, name)


def record_failure(stats: Any, failure: Failure) -> None:
    """Count and log one failed fetch with its URL, by kind and by the request's role."""
    request: Request | None = getattr(failure, "request", None)
    url = request.url if request is not None else "?"
    role = request.meta.get(ROLE, "article") if request is not None else "article"
    label: str | None = None  # set for fetch failures; drops (robots, size) stay None
    detail = ""
    if failure.check(HttpError):
        status = failure.value.response.status
        stats.inc_value(f"chipwire/http_errors/{status}")
        label = f"HTTP {status}"
        logger.warning("HTTP %s for %s", status, url)
    elif failure.check(IgnoreRequest):
        reason = str(failure.value) or "ignored"
        key = next((key for phrase, key in _IGNORED if phrase in reason), "ignored")
        stats.inc_value(f"chipwire/dropped/{key}")
        logger.warning("not fetched (%s): %s: %s", key, url, reason)
        if role != "article":
            label = "forbidden by robots.txt" if key == "robots" else f"not fetched ({key})"
    elif failure.type is not None and failure.type.__name__ == "DownloadCancelledError":
        # Scrapy cancels a download only when the body outgrows DOWNLOAD_MAXSIZE.
        stats.inc_value("chipwire/dropped/too_large")
        logger.warning("not fetched (too_large): %s: %s", url, failure.getErrorMessage())
        if role != "article":
            label = "too large"
    else:
        name = failure.type.__name__ if failure.type else "Error"
        stats.inc_value(f"chipwire/network_errors/{name}")
        label = network_label(name)
        if name == "SilentHostError":
            detail = f" ({failure.getErrorMessage()})"
        logger.warning("fetch failed (%s): %s: %s", name, url, failure.getErrorMessage())
    if label is None:
        return
    if role == "article":
        stats.inc_value(f"chipwire/article_failures/{label}")
    else:
        message = f"{url} could not be fetched: {label}{detail}"
        note_start_problem(stats, message, start=role == "start")


def note_start_problem(stats: Any, message: str, *, start: bool = True) -> None:
    """Remember why a start document (or a later index page) gave no links; the first wins."""
    key = "chipwire/start_error" if start else "chipwire/index_error"
    stats.inc_value(f"{key}s")
    if stats.get_value(key) is None:
        stats.set_value(key, message)
