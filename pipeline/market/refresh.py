"""``market refresh``: ask a price source for what each symbol lacks and upsert it.

Incremental by symbol: each asks from the day after its last stored bar, so a daily refresh
fetches a day per symbol and a new company its whole history.  The upsert is keyed by
(symbol, date, source) and updates prices in place (adjusted closes move after a dividend),
so re-running adds nothing and a failed fetch never deletes what is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from chipwire.models import Company, PriceBar, utcnow
from chipwire.pipeline.market.bars import Bar, PriceSource
from chipwire.pipeline.upsert import upsert

_PRICES = ("open", "high", "low", "close", "adj_close", "volume", "currency")


@dataclass
class Refreshed:
    symbols: int = 0
    priced: int = 0  # symbols the source returned bars for
    bars_fetched: int = 0
    bars_added: int = 0
    problems: dict[str, str] = field(default_factory=dict)

    def as_counts(self) -> dict[str, object]:
        return {
            "symbols": self.symbols,
            "priced": self.priced,
            "bars_fetched": self.bars_fetched,
            "bars_added": self.bars_added,
            "problems": dict(self.problems),
        }


def listed(session: Session) -> dict[str, str | None]:
    """Every registry symbol with its exchange: companies without one are simply not priced."""
    rows = session.execute(
        select(Company.symbol, Company.exchange).where(Company.symbol.is_not(None))
    ).all()
    return {symbol: exchange for symbol, exchange in rows if symbol}


def last_bars(session: Session, symbols: Sequence[str]) -> dict[str, dt.date]:
    rows = session.execute(
        select(PriceBar.symbol, func.max(PriceBar.date))
        .where(PriceBar.symbol.in_(list(symbols)))
        .group_by(PriceBar.symbol)
    ).all()
    return {symbol: last for symbol, last in rows}


def refresh_prices(
    factory: sessionmaker[Session],
    source: PriceSource,
    symbols: Sequence[str],
    *,
    since: dt.date | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 50,
) -> Refreshed:
    """Fetch and store ``symbols`` from ``since`` (default: each one's last stored bar).

    Symbols go to the source in batches and each batch is committed on its own, so a crash
    keeps what was stored before it and the next run resumes from there.
    """
    now = now or utcnow()
    result = Refreshed(symbols=len(symbols))
    with factory() as session:
        last = last_bars(session, symbols)
        before = session.scalar(select(func.count()).select_from(PriceBar)) or 0
    wanted: dict[str, dt.date | None] = {
        symbol: since or (last[symbol] + dt.timedelta(days=1) if symbol in last else None)
        for symbol in symbols
    }
    ordered = list(wanted)
    for start in range(0, len(ordered), batch):
        part = {symbol: wanted[symbol] for symbol in ordered[start : start + batch]}
        fetched = source.fetch(part, now)
        result.problems.update(fetched.problems)
        result.bars_fetched += len(fetched.bars)
        result.priced += len({bar.symbol for bar in fetched.bars})
        with factory.begin() as session:
            store_bars(session, fetched.bars)
        if progress is not None:
            progress(min(start + batch, len(ordered)), len(ordered))
    with factory() as session:
        after = session.scalar(select(func.count()).select_from(PriceBar)) or 0
    result.bars_added = after - before
    return result


def store_bars(session: Session, bars: Sequence[Bar]) -> None:
    rows = [
        {
            "symbol": bar.symbol,
            "date": bar.date,
            "open": bar.open,
            "high": bar.high,
            "low": bar.low,
            "close": bar.close,
            "adj_close": bar.adj_close,
            "volume": bar.volume,
            "currency": bar.currency,
            "source": bar.source,
        }
        for bar in bars
    ]
    for start in range(0, len(rows), 500):
        upsert(
            session,
            PriceBar.__table__,
            rows[start : start + 500],
            key=["symbol", "date", "source"],
            update=list(_PRICES),
        )
