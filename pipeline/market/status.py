"""``market status``: per symbol, what is stored and how far behind the exchange it is.

Gaps and staleness are counted in the symbol's own exchange sessions, so a weekend, a
holiday in Seoul or an early close is never reported as missing data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chipwire.models import PriceBar
from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.market import calendars


@dataclass
class SymbolStatus:
    symbol: str
    sources: str
    first: dt.date | None
    last: dt.date | None
    bars: int
    gaps: int | None  # sessions between first and last without a bar; None: no calendar
    behind: int | None  # closed sessions after the last bar; None: no calendar
    note: str = ""


def price_status(
    session: Session, symbols: dict[str, str | None], now: dt.datetime
) -> list[SymbolStatus]:
    """``symbols`` maps each symbol to its registry exchange (None for a benchmark)."""
    stored = {
        symbol: (first, last, count)
        for symbol, first, last, count in session.execute(
            select(
                PriceBar.symbol,
                func.min(PriceBar.date),
                func.max(PriceBar.date),
                func.count(func.distinct(PriceBar.date)),
            ).group_by(PriceBar.symbol)
        )
    }
    names = _sources(session)
    out = []
    for symbol in sorted(symbols):
        if symbol not in stored:
            out.append(SymbolStatus(symbol, "", None, None, 0, None, None, "no bars stored"))
            continue
        first, last, count = stored[symbol]
        status = SymbolStatus(
            symbol, ", ".join(names.get(symbol, ())), first, last, count, None, None
        )
        try:
            calendar = calendars.calendar_for_symbol(symbol, symbols[symbol])
            status.gaps = max(0, len(calendars.sessions(calendar, first, last)) - count)
            closed = calendars.last_closed_session(calendar, now)
            status.behind = max(0, len(calendars.sessions(calendar, last, closed)) - 1)
        except ChipwireError as exc:
            status.note = str(exc)
        out.append(status)
    return out


def _sources(session: Session) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for symbol, source in session.execute(
        select(PriceBar.symbol, PriceBar.source).distinct().order_by(PriceBar.source)
    ):
        names.setdefault(symbol, []).append(source)
    return names
