"""Daily bars from a CSV file: offline runs, backfills, and the bundled sample prices.

A network source cannot serve a laptop without internet, a test, or history that a vendor
no longer offers; a plain file can, and anyone can produce one with a spreadsheet.

Format (UTF-8, an optional byte-order mark is accepted; one bar per row)::

    symbol,date,open,high,low,close,adj_close,volume,currency
    NVDA,2026-01-05,187.2,190.51,185.0,188.33,,215345600,USD
    005930.KS,2026-01-05,,,,61200,,,KRW

- ``symbol``: as yfinance knows it ("NVDA", "005930.KS", "^GSPC"). Required.
- ``date``: the exchange-local trading day, ISO ``YYYY-MM-DD``. Required.
- ``close``: the price as traded, not adjusted; a positive number. Required.
- ``adj_close``: adjusted for splits and dividends; empty means "same as close" (a file
  without corporate actions need not repeat every close).
- ``open``, ``high``, ``low``: positive numbers, or empty when unknown.
- ``volume``: a non-negative whole number, or empty.
- ``currency``: the ISO 4217 code of the listing ("USD", "KRW"), or empty.

The header names the columns (in any order); ``symbol``, ``date`` and ``close`` must be
there, the others may be left out entirely, and an unknown column is an error (a misspelt
``adjclose`` would otherwise be silently ignored and returns computed from the wrong price).
One symbol has at most one row per date. Blank lines are skipped.

A malformed file is refused as a whole with a :class:`ChipwireError` naming the file, the
line and the column: a half-read file would store a gap that looks like missing trading.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from pathlib import Path

from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.market.bars import Bar, Fetched

COLUMNS = ("symbol", "date", "open", "high", "low", "close", "adj_close", "volume", "currency")
REQUIRED = ("symbol", "date", "close")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CURRENCY = re.compile(r"[A-Za-z]{3}")
# Plain decimal numbers only: float() alone would also take "nan", "inf" and "1_000".
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class CsvSource:
    """A :class:`~chipwire.pipeline.market.bars.PriceSource` over one CSV file.

    The file is read on every fetch, not when the source is built, so a bad or missing
    file fails the refresh that uses it (with its name and line), not the program start.
    """

    name = "csv"

    def __init__(self, path: Path, source_label: str = "csv") -> None:
        self.path = Path(path)
        self.source_label = source_label

    def fetch(self, wanted: dict[str, dt.date | None], now: dt.datetime) -> Fetched:
        """Bars of the wanted symbols dated on or after each one's first wanted day.

        Bars dated after ``now``'s date are left out: a file cannot hold the final bar of a
        session that has not happened, so such a row is a mistake that must not be stored.
        A file carries no trading calendar, so a bar dated today is taken as final.
        """
        bars = read_bars(self.path, source=self.source_label)
        present = {bar.symbol for bar in bars}
        today = now.date()
        fetched = Fetched()
        for bar in bars:
            if bar.symbol not in wanted or bar.date > today:
                continue
            since = wanted[bar.symbol]
            if since is None or bar.date >= since:
                fetched.bars.append(bar)
        for symbol in wanted:
            if symbol not in present:
                fetched.problems[symbol] = f"not in {self.path}"
        return fetched


def read_bars(path: Path, source: str = "csv") -> list[Bar]:
    """Every bar in the file, in file order; ``source`` is stamped on each bar."""
    path = Path(path)
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = _header(path, next(reader, None))
    bars: list[Bar] = []
    first_seen: dict[tuple[str, dt.date], int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise _error(path, line, None, f"expected {len(header)} fields, found {len(row)}")
        bar = _parse_row(path, line, dict(zip(header, row, strict=True)), source)
        key = (bar.symbol, bar.date)
        if key in first_seen:
            raise _error(
                path,
                line,
                "date",
                f"duplicate row for {bar.symbol} on {bar.date} (first on line {first_seen[key]})",
            )
        first_seen[key] = line
        bars.append(bar)
    return bars


def write_bars(path: Path, bars: Iterable[Bar]) -> None:
    """Write bars in the documented format, in the order given.

    ``adj_close`` is left empty when it equals ``close`` (the format's default), which
    keeps files without corporate actions small and reads back to the same bars.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for bar in bars:
        adj = None if bar.adj_close == bar.close else bar.adj_close
        writer.writerow(
            [
                bar.symbol,
                bar.date.isoformat(),
                _number(bar.open),
                _number(bar.high),
                _number(bar.low),
                _number(bar.close),
                _number(adj),
                "" if bar.volume is None else str(bar.volume),
                bar.currency or "",
            ]
        )
    Path(path).write_text(out.getvalue(), encoding="utf-8", newline="")


def _number(value: float | None) -> str:
    """Shortest text that reads back to the same float; whole numbers without ``.0``."""
    if value is None:
        return ""
    text = repr(float(value))
    return text.removesuffix(".0")


def _error(path: Path, line: int, column: str | None, message: str) -> ChipwireError:
    where = f"{path}, line {line}" + (f", column {column!r}" if column else "")
    return ChipwireError(f"{where}: {message}")


def _decode(path: Path) -> str:
    """The file's text; a non-UTF-8 file is named with the line of its first bad byte."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ChipwireError(f"{path}: cannot read price file: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _error(
            path, line, None, f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from exc


def _header(path: Path, row: list[str] | None) -> list[str]:
    if row is None or not any(cell.strip() for cell in row):
        raise _error(path, 1, None, f"no header; expected {','.join(COLUMNS)}")
    names = [cell.strip() for cell in row]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise _error(path, 1, unknown[0], f"unknown column; expected {','.join(COLUMNS)}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise _error(path, 1, repeated[0], "column appears more than once")
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise _error(path, 1, missing[0], "missing required column")
    return names


def _parse_row(path: Path, line: int, cells: dict[str, str], source: str) -> Bar:
    values = {name: cells.get(name, "").strip() for name in COLUMNS}
    symbol = values["symbol"]
    if not symbol:
        raise _error(path, line, "symbol", "empty symbol")
    raw_date = values["date"]
    try:
        if not _DATE.fullmatch(raw_date):
            raise ValueError(raw_date)
        day = dt.date.fromisoformat(raw_date)
    except ValueError:
        raise _error(path, line, "date", f"not a date (YYYY-MM-DD): {raw_date!r}") from None
    prices = {name: _price(path, line, name, values[name]) for name in COLUMNS[2:7]}
    if prices["close"] is None:
        raise _error(path, line, "close", "empty close")
    currency = values["currency"]
    if currency and not _CURRENCY.fullmatch(currency):
        raise _error(path, line, "currency", f"not a 3-letter currency code: {currency!r}")
    return Bar(
        symbol=symbol,
        date=day,
        open=prices["open"],
        high=prices["high"],
        low=prices["low"],
        close=prices["close"],
        adj_close=prices["close"] if prices["adj_close"] is None else prices["adj_close"],
        volume=_volume(path, line, values["volume"]),
        currency=currency or None,
        source=source,
    )


def _price(path: Path, line: int, column: str, text: str) -> float | None:
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise _error(path, line, column, f"not a number: {text!r}")
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise _error(path, line, column, f"price must be a positive number: {text!r}")
    return value


def _volume(path: Path, line: int, text: str) -> int | None:
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise _error(path, line, "volume", f"not a number: {text!r}")
    value = float(text)
    if not math.isfinite(value) or value < 0 or not value.is_integer():
        raise _error(path, line, "volume", f"must be a non-negative whole number: {text!r}")
    return int(value)
