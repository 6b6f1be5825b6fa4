"""Generate the bundled SYNTHETIC sample prices (pipeline/data/sample_prices.csv), once.

The offline demo and the tests join the sample site's deals with prices, and no real
prices may be bundled (licences) or fetched (no network). So this writes seeded random
walks instead: NOT real prices, only shaped like them, so that an event study over the
sample articles has something plausible to chew on. Run it again only to change the
file on purpose; the tests check that the bundled file is exactly what it writes.

    python -m chipwire.pipeline.market.sample_prices [--out PATH]

Model: one latent market return per weekday, N(0.03%, 1%). Each symbol trades only on
its exchange's sessions (exchange_calendars) and its log return from one session to the
next is ``beta * (market returns of the weekdays since its last session) + idiosyncratic
noise``, the noise sized so that the total daily volatility matches the symbol's. ^GSPC
is the market itself; SMH loads on it like a chip stock. One global factor for Seoul,
Tokyo, London and Frankfurt too: a simplification, but it keeps them correlated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import exchange_calendars as xcals
import numpy as np

from chipwire.pipeline.market.bars import Bar
from chipwire.pipeline.market.csvfile import write_bars

SEED = 20260105
SOURCE = "sample"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "sample_prices.csv"
# The sample site's articles run from 2026-01-05 to 2026-11-03 (spiders/sample_site/
# MANIFEST.json). An event study needs an estimation window [-120, -11] before the first
# event and a few sessions after the last: START leaves >= 140 sessions before on every
# calendar below, END >= 10 after (both checked when the file is generated).
FIRST_ARTICLE = dt.date(2026, 1, 5)
LAST_ARTICLE = dt.date(2026, 11, 3)
START = dt.date(2025, 5, 1)
END = dt.date(2026, 11, 30)
MIN_BEFORE, MIN_AFTER = 140, 10
MARKET_DRIFT, MARKET_VOL = 0.0003, 0.01


@dataclass(frozen=True)
class Spec:
    symbol: str
    calendar: str  # exchange_calendars code, as pipeline/data/companies.yaml maps the exchange
    currency: str
    first_close: float  # a plausible level for May 2025
    vol: float  # total daily volatility of log returns
    beta: float  # loading on the market return
    volume: float  # typical shares traded per session
    decimals: int = 4  # KRW and JPY trade in whole units


# Every registry company with a symbol that is a party of a sample-site deal, plus
# peers (MU) and the two benchmarks an event study needs (SMH for chips, ^GSPC).
SPECS = (
    Spec("^GSPC", "XNYS", "USD", 5600.0, 0.010, 1.0, 4.5e9),
    Spec("SMH", "XNAS", "USD", 230.0, 0.020, 1.5, 7e6),
    Spec("NVDA", "XNAS", "USD", 115.0, 0.030, 1.8, 250e6),
    Spec("AMD", "XNAS", "USD", 100.0, 0.032, 1.7, 45e6),
    Spec("INTC", "XNAS", "USD", 20.0, 0.028, 1.3, 80e6),
    Spec("AVGO", "XNAS", "USD", 190.0, 0.025, 1.6, 25e6),
    Spec("QCOM", "XNAS", "USD", 150.0, 0.020, 1.3, 8e6),
    Spec("MRVL", "XNAS", "USD", 60.0, 0.033, 1.7, 15e6),
    Spec("MU", "XNAS", "USD", 85.0, 0.030, 1.6, 20e6),
    Spec("TSM", "XNYS", "USD", 165.0, 0.022, 1.4, 15e6),
    Spec("ASML", "XNAS", "USD", 680.0, 0.022, 1.3, 1.5e6),
    Spec("ARM", "XNAS", "USD", 115.0, 0.034, 1.8, 6e6),
    Spec("MSFT", "XNAS", "USD", 390.0, 0.017, 1.0, 22e6),
    Spec("AMZN", "XNAS", "USD", 185.0, 0.017, 1.2, 45e6),
    Spec("GOOGL", "XNAS", "USD", 155.0, 0.017, 1.1, 35e6),
    Spec("META", "XNAS", "USD", 550.0, 0.017, 1.3, 15e6),
    Spec("ORCL", "XNYS", "USD", 140.0, 0.022, 1.2, 10e6),
    Spec("EQIX", "XNAS", "USD", 880.0, 0.015, 0.9, 6e5),
    Spec("000660.KS", "XKRX", "KRW", 190000.0, 0.030, 1.3, 3.5e6, 0),
    Spec("005930.KS", "XKRX", "KRW", 55000.0, 0.020, 1.0, 15e6, 0),
    Spec("9984.T", "XTKS", "JPY", 7500.0, 0.032, 1.5, 15e6, 0),
    Spec("AWE.L", "XLON", "GBP", 1.5, 0.025, 0.9, 2e6),
    Spec("DTE.DE", "XETR", "EUR", 31.0, 0.012, 0.9, 4e6),
)


def sessions(code: str) -> list[dt.date]:
    """The calendar's sessions in [START, END], after checking the event-study margins."""
    calendar = xcals.get_calendar(code, start=START.isoformat(), end=END.isoformat())
    days = [stamp.date() for stamp in calendar.sessions]
    before = sum(day < FIRST_ARTICLE for day in days)
    after = sum(day > LAST_ARTICLE for day in days)
    if before < MIN_BEFORE or after < MIN_AFTER:
        raise SystemExit(f"{code}: {before} sessions before / {after} after; widen START/END")
    return days


def market_levels(rng: np.random.Generator) -> dict[dt.date, float]:
    """The market's cumulative log return at each weekday's end, one latent draw per weekday:
    a holiday's move is not lost, it lands in the next session's return."""
    days = [START + dt.timedelta(n) for n in range((END - START).days + 1)]
    weekdays = [day for day in days if day.weekday() < 5]
    levels = np.cumsum(rng.normal(MARKET_DRIFT, MARKET_VOL, len(weekdays)))
    return dict(zip(weekdays, levels.tolist(), strict=True))


def walk(
    spec: Spec, days: list[dt.date], market: dict[dt.date, float], rng: np.random.Generator
) -> list[Bar]:
    """One symbol's bars: close-to-close returns from the factor model, then OHLC and volume
    around them (open gaps from the previous close, high/low beyond open and close)."""
    n = len(days)
    systematic = spec.beta * np.diff(np.array([0.0] + [market[day] for day in days]))
    idio_vol = math.sqrt(max(spec.vol**2 - (spec.beta * MARKET_VOL) ** 2, 0.0))
    returns = systematic + rng.normal(0.0, idio_vol, n)
    closes = spec.first_close * np.exp(np.cumsum(returns))
    previous_closes = np.concatenate(([spec.first_close], closes[:-1]))
    opens = previous_closes * np.exp(rng.normal(0.0, 0.25 * spec.vol, n))
    highs = np.maximum(opens, closes) * np.exp(np.abs(rng.normal(0.0, 0.35 * spec.vol, n)))
    lows = np.minimum(opens, closes) * np.exp(-np.abs(rng.normal(0.0, 0.35 * spec.vol, n)))
    # Busier on big moves, as real volume is.
    surprise = np.abs(returns) / spec.vol
    volumes = spec.volume * np.exp(rng.normal(0.0, 0.25, n)) * (0.7 + 0.3 * surprise)

    def price(value: float) -> float:
        return round(float(value), spec.decimals)

    return [
        Bar(
            symbol=spec.symbol,
            date=day,
            open=price(opens[i]),
            high=price(highs[i]),
            low=price(lows[i]),
            close=price(closes[i]),
            adj_close=price(closes[i]),  # no splits or dividends in a random walk
            volume=round(float(volumes[i])),
            currency=spec.currency,
            source=SOURCE,
        )
        for i, day in enumerate(days)
    ]


def generate() -> list[Bar]:
    """All sample bars, ordered by symbol as in SPECS, then by date."""
    rng = np.random.default_rng(SEED)
    market = market_levels(rng)
    calendars: dict[str, list[dt.date]] = {}
    bars: list[Bar] = []
    for spec in SPECS:
        if spec.calendar not in calendars:
            calendars[spec.calendar] = sessions(spec.calendar)
        bars.extend(walk(spec, calendars[spec.calendar], market, rng))
    return bars


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m chipwire.pipeline.market.sample_prices",
        description="Write the bundled synthetic sample prices (seeded random walks, NOT "
        "real prices) in the chipwire CSV price format.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"where to write the CSV (default: {DEFAULT_OUT})",
    )
    args = parser.parse_args(argv)
    bars = generate()
    write_bars(args.out, bars)
    print(f"wrote {len(bars)} bars for {len(SPECS)} symbols to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
