"""Daily bars from Yahoo Finance through yfinance, hardened against how it really fails.

yfinance scrapes an unofficial API: it rate-limits, drops delisted tickers silently, changes
its frame shape between versions and returns the still-moving bar of a session in progress.
Each of those becomes a per-symbol problem or a skipped bar here, never an exception that
would cost the other symbols of a refresh. The downloader, the session calendar and the
sleep are injected so all of this is tested offline against recorded frame shapes.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from chipwire.pipeline.market.bars import Bar, Fetched

FIELDS = ("Open", "High", "Low", "Close", "Adj Close", "Volume")
NO_BARS = "no bars returned (delisted or renamed?)"


class _ErrorLog(logging.Handler):
    """Collects yfinance's error log lines, the only place ``download`` reports failures."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def yfinance_download(tickers: list[str], start: dt.date, end: dt.date) -> pd.DataFrame:
    """The real downloader: ``auto_adjust=False`` so both Close and Adj Close come back.

    yfinance (1.x) catches every per-ticker exception, rate limits included, logs it and
    returns all-NaN columns, so a throttled batch would look like a batch of delisted tickers.
    The error log is read back and a rate limit re-raised as ``YFRateLimitError`` so that
    ``YahooSource`` backs off instead. yfinance is imported here: it takes ~0.6 s to load.
    """
    import yfinance
    from yfinance.exceptions import YFRateLimitError

    errors = _ErrorLog()
    logger = logging.getLogger("yfinance")
    logger.addHandler(errors)
    try:
        frame = yfinance.download(
            tickers,
            start=start.isoformat(),
            end=end.isoformat(),
            auto_adjust=False,
            actions=False,
            progress=False,
            group_by="column",
            threads=False,
            multi_level_index=True,
        )
    finally:
        logger.removeHandler(errors)
    if any("YFRateLimitError" in m or "Too Many Requests" in m for m in errors.messages):
        raise YFRateLimitError()
    return frame if frame is not None else pd.DataFrame()


def _is_rate_limit(exc: BaseException) -> bool:
    """Imports yfinance only once something has failed, keeping the happy path import-free;
    without yfinance installed nothing can raise its rate-limit error."""
    try:
        from yfinance.exceptions import YFRateLimitError
    except ImportError:
        return False
    return isinstance(exc, YFRateLimitError)


class _RateLimited(Exception):
    """Every try of a batch was rate limited."""


def _always_final(symbol: str, day: dt.date, now: dt.datetime) -> bool:
    return True


def _no_currency(symbol: str) -> str | None:
    return None


def _number(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def _columns(frame: pd.DataFrame, symbol: str, alone: bool) -> pd.DataFrame | None:
    """The symbol's OHLCV sub-frame, whatever the column layout.

    yfinance 1.x returns (field, ticker) MultiIndex columns even for one ticker, with the
    ticker upper-cased; ``group_by="ticker"`` swaps the levels; before 0.2.48 a single
    ticker came back with flat field columns, which only make sense for a batch of one.
    """
    columns = frame.columns
    if not isinstance(columns, pd.MultiIndex):
        return frame if alone and "Close" in columns else None
    if columns.nlevels != 2:
        return None
    level = 0 if set(FIELDS) & set(columns.get_level_values(1)) else 1
    keys = set(columns.get_level_values(level))
    key = symbol if symbol in keys else symbol.upper()
    if key not in keys:
        return None
    return frame.xs(key, axis=1, level=level)


class YahooSource:
    """A ``PriceSource`` over yfinance; see the module docstring for what it survives."""

    name = "yfinance"

    def __init__(
        self,
        download: Callable[..., pd.DataFrame] = yfinance_download,
        *,
        is_final: Callable[[str, dt.date, dt.datetime], bool] = _always_final,
        currency_of: Callable[[str], str | None] = _no_currency,
        sleep: Callable[[float], None] = time.sleep,
        max_retries: int = 3,
        backoff: float = 5.0,
        default_history_days: int = 730,
        batch_size: int = 50,
    ) -> None:
        self._download = download
        self._is_final = is_final
        self._currency_of = currency_of
        self._sleep = sleep
        self._max_retries = max(0, max_retries)
        self._backoff = backoff
        self._default_history_days = default_history_days
        self._batch_size = max(1, batch_size)

    def fetch(self, wanted: dict[str, dt.date | None], now: dt.datetime) -> Fetched:
        """One download per batch of symbols sharing a start date: Yahoo's cost is per
        request, and a shared start keeps each request's range exact for every ticker."""
        default_start = (now - dt.timedelta(days=self._default_history_days)).date()
        end = now.date() + dt.timedelta(days=1)  # yfinance's end is exclusive
        by_start: dict[dt.date, list[str]] = {}
        for symbol, start in wanted.items():
            by_start.setdefault(start or default_start, []).append(symbol)
        out = Fetched()
        for start, symbols in sorted(by_start.items()):
            for i in range(0, len(symbols), self._batch_size):
                self._fetch_batch(symbols[i : i + self._batch_size], start, end, now, out)
        return out

    def _fetch_batch(
        self, symbols: list[str], start: dt.date, end: dt.date, now: dt.datetime, out: Fetched
    ) -> None:
        try:
            frame = self._download_with_retry(symbols, start, end)
        except _RateLimited:
            for symbol in symbols:
                out.problems[symbol] = f"rate limited by Yahoo after {self._max_retries + 1} tries"
            return
        except Exception as exc:
            if len(symbols) > 1:  # find the one bad ticker instead of losing the whole batch
                for symbol in symbols:
                    self._fetch_batch([symbol], start, end, now, out)
            else:
                out.problems[symbols[0]] = f"download failed: {type(exc).__name__}: {exc}"
            return
        for symbol in symbols:
            bars = self._bars(frame, symbol, len(symbols) == 1)
            if not bars:
                out.problems[symbol] = NO_BARS
            out.bars.extend(b for b in bars if self._is_final(symbol, b.date, now))

    def _download_with_retry(
        self, symbols: list[str], start: dt.date, end: dt.date
    ) -> pd.DataFrame:
        """Backs off exponentially on a rate limit (Yahoo throttles by IP for minutes);
        any other exception goes straight to the caller."""
        attempt = 0
        while True:
            try:
                frame = self._download(list(symbols), start=start, end=end)
            except Exception as exc:
                if not _is_rate_limit(exc):
                    raise
                if attempt >= self._max_retries:
                    raise _RateLimited from exc
                self._sleep(self._backoff * 2**attempt)
                attempt += 1
            else:
                return frame if frame is not None else pd.DataFrame()

    def _bars(self, frame: pd.DataFrame, symbol: str, alone: bool) -> list[Bar]:
        """Rows with a close, one per local date (the last wins: Yahoo sometimes repeats the
        live row). The date is the index's own calendar date, never converted to UTC, which
        would move every Asian session to the previous day."""
        if frame.empty:
            return []
        sub = _columns(frame, symbol, alone)
        if sub is None:
            return []
        sub = sub.reindex(columns=list(FIELDS))
        currency = self._currency_of(symbol)
        by_date: dict[dt.date, Bar] = {}
        for stamp, row in zip(sub.index, sub.itertuples(index=False, name=None), strict=True):
            open_, high, low, close, adj_close, volume = (_number(v) for v in row)
            if close is None:
                continue
            day = pd.Timestamp(stamp).date()
            by_date[day] = Bar(
                symbol=symbol,
                date=day,
                open=open_,
                high=high,
                low=low,
                close=close,
                adj_close=adj_close,
                volume=None if volume is None else int(volume),
                currency=currency,
                source=self.name,
            )
        return [by_date[d] for d in sorted(by_date)]
