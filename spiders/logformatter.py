"""Quieter Scrapy log lines: a dropped item is logged once by our pipelines, with its reason."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


class ChipwireLogFormatter(LogFormatter):
    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any = None
    ) -> LogFormatterResult:
        # Scrapy logs the whole item (pages of text) at WARNING; the reason is enough.
        return {
            "level": logging.DEBUG,
            "msg": "Dropped: %(exception)s",
            "args": {"exception": exception},
        }
