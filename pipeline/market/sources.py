"""The price sources a refresh can use, wired to the registry's exchanges.

yfinance needs to know, per symbol, whether today's bar is final (its exchange has closed)
and in which currency it trades; both come from the exchange calendars, which the
yfinance adapter itself knows nothing about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.market import calendars
from chipwire.pipeline.market.bars import PriceSource
from chipwire.pipeline.market.csvfile import CsvSource
from chipwire.pipeline.market.yahoo import YahooSource, yfinance_download


def price_source(
    exchanges: dict[str, str | None],
    *,
    csv: Path | None = None,
    csv_label: str = "csv",
    history_days: int = 730,
    download: Callable[..., pd.DataFrame] = yfinance_download,
) -> PriceSource:
    """A CSV file when one is given (offline use, backfills, the demo); else yfinance."""
    if csv is not None:
        return CsvSource(csv, csv_label)

    def is_final(symbol: str, day: dt.date, now: dt.datetime) -> bool:
        try:
            calendar = calendars.calendar_for_symbol(symbol, exchanges.get(symbol))
        except ChipwireError:
            return day < now.date()  # unknown exchange: only bars of past days are final
        return calendars.bar_is_final(calendar, day, now)

    def currency_of(symbol: str) -> str | None:
        return calendars.currency_for_symbol(symbol, exchanges.get(symbol))

    return YahooSource(
        download, is_final=is_final, currency_of=currency_of, default_history_days=history_days
    )
