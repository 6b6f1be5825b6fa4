"""Live per-source progress of a crawl, from Scrapy's signals, for whoever is watching.

The crawl runs inside Scrapy's reactor for minutes; an operator at a terminal wants
to see which sources are moving and which are stuck, without reading Scrapy's log.
A :class:`ProgressWatcher` per crawler turns its signals into :class:`SourceProgress`
snapshots handed to a callback (the CLI's live table); the callback runs in the
reactor's thread, so it must be quick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from scrapy import Request, signals
from scrapy.crawler import Crawler

State = Literal["waiting", "crawling", "done"]


@dataclass(frozen=True)
class SourceProgress:
    """One source's progress so far: pages fetched (robots.txt aside), articles stored, errors."""

    source: str
    state: State
    pages: int = 0
    stored: int = 0
    errors: int = 0


ProgressCallback = Callable[[SourceProgress], None]


class ProgressWatcher:
    """Connects one crawler's signals to a progress callback.

    Scrapy holds signal receivers weakly: whoever creates a watcher keeps it alive
    for the crawl (``crawl_sources`` keeps them in a list).
    """

    def __init__(self, crawler: Crawler, source: str, callback: ProgressCallback) -> None:
        self.crawler = crawler
        self.source = source
        self.callback = callback
        self.pages = 0
        self.state: State = "waiting"
        for handler, signal in (
            (self.opened, signals.spider_opened),
            (self.response, signals.response_received),
            (self.item, signals.item_scraped),
            (self.item, signals.item_dropped),
            (self.item, signals.item_error),
            (self.closed, signals.spider_closed),
        ):
            crawler.signals.connect(handler, signal=signal)

    def emit(self) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        errors = sum(
            value
            for key, value in stats.items()
            if key.startswith(("chipwire/http_errors/", "chipwire/network_errors/"))
        )
        self.callback(
            SourceProgress(
                self.source,
                self.state,
                # a backfill parses pages it never requests: those count as pages too
                max(self.pages, stats.get("chipwire/fetched", 0)),
                stats.get("chipwire/stored", 0),
                errors,
            )
        )

    def opened(self, **_: Any) -> None:
        self.state = "crawling"
        self.emit()

    def response(self, request: Request, **_: Any) -> None:
        if not request.meta.get("dont_obey_robotstxt"):  # robots.txt is not a page
            self.pages += 1
        self.emit()

    def item(self, **_: Any) -> None:
        self.emit()

    def closed(self, **_: Any) -> None:
        self.state = "done"
        self.emit()
