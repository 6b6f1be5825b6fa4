"""What every price source hands the store: daily bars, and per-symbol problems.

A source never raises for one symbol's trouble (a rate limit, a delisted ticker, an empty
frame): it says so in ``Fetched.problems`` and the other symbols go on, so one bad ticker
never costs the rest of a refresh and never deletes what is stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Bar:
    symbol: str  # as yfinance knows it: "NVDA", "005930.KS", "^GSPC"
    date: dt.date  # the exchange-local trading day
    open: float | None
    high: float | None
    low: float | None
    close: float | None  # as traded, not adjusted
    adj_close: float | None  # adjusted for splits and dividends: returns use this
    volume: int | None
    currency: str | None  # ISO 4217 code of the listing, e.g. "USD", "KRW"
    source: str  # "yfinance", "csv", ...


@dataclass
class Fetched:
    bars: list[Bar] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # symbol -> what went wrong


class PriceSource(Protocol):
    """Fetches daily bars: ``wanted`` maps each symbol to the first day it needs (None: as
    far back as the source's default history); bars not yet final at ``now`` (the day's
    session still open) are left out."""

    name: str

    def fetch(self, wanted: dict[str, dt.date | None], now: dt.datetime) -> Fetched: ...
