"""How the market took a piece of news: a market-model event study on daily returns.

The stock's normal co-movement with its benchmark is fitted on a quiet estimation window
before the event; what the event window adds on top of that (the abnormal return) is the
market's reaction. Nothing here guesses a missing price: a window with a hole in it is
skipped with the reason, because a reaction measured across a gap is not one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

# Residual spread at or below this fraction of the stock's return scale is rounding noise
# from an exact fit, not a real spread: a t-statistic divided by it would be meaningless.
_EXACT_FIT = 1e-9


def simple_returns(closes: Sequence[tuple[dt.date, float | None]]) -> dict[dt.date, float]:
    """Keyed by the later session so a return lines up with the day whose news moved it.

    A date absent from ``closes`` is taken as a day without trading (the return spans it);
    a date present with a None or non-positive close is a hole: neither the return into it
    nor the one out of it exists, since either would silently span two sessions.
    """
    result: dict[dt.date, float] = {}
    prev: float | None = None
    ordered = sorted(closes, key=lambda pair: pair[0])
    for (day_a, _), (day_b, _) in pairwise(ordered):
        if day_a == day_b:
            raise ValueError(f"two closes for {day_a.isoformat()}")
    for day, close in ordered:
        good = close is not None and close > 0
        if good and prev is not None:
            result[day] = close / prev - 1.0
        prev = close if good else None
    return result


@dataclass(frozen=True)
class MarketModel:
    alpha: float
    beta: float
    resid_sd: float  # standard deviation of the residuals, ddof=2 (two fitted parameters)
    n: int  # estimation sessions used


def fit_market_model(stock: Sequence[float], bench: Sequence[float]) -> MarketModel:
    """Ordinary least squares of stock on benchmark returns, the textbook normal-return model.

    An exact fit reports ``resid_sd`` 0.0 rather than float noise, so callers can tell "no
    idiosyncratic risk" from "a tiny one" without their own tolerance.
    """
    y = np.asarray(stock, dtype=float)
    x = np.asarray(bench, dtype=float)
    if y.shape != x.shape or y.ndim != 1:
        raise ValueError(f"stock and bench differ in shape: {y.shape} vs {x.shape}")
    n = int(y.size)
    if n < 3:
        raise ValueError(f"need at least 3 observations to fit and measure spread, got {n}")
    dx = x - x.mean()
    sxx = float(dx @ dx)
    if sxx == 0.0:
        raise ValueError("benchmark returns are constant: beta is undefined")
    beta = float(dx @ (y - y.mean())) / sxx
    alpha = float(y.mean()) - beta * float(x.mean())
    resid = y - (alpha + beta * x)
    resid_sd = math.sqrt(float(resid @ resid) / (n - 2))
    if resid_sd <= _EXACT_FIT * math.sqrt(float(y @ y) / n):
        resid_sd = 0.0
    return MarketModel(alpha=alpha, beta=beta, resid_sd=resid_sd, n=n)


@dataclass(frozen=True)
class Reaction:
    event_session: dt.date
    car: dict[tuple[int, int], float]  # window (start, end), sessions relative to event -> CAR
    # CAR / (resid_sd * sqrt(window length)); None when resid_sd == 0 (exact fit): no noise
    # to measure against, and None cannot be averaged or sorted by mistake as nan can.
    t_stat: dict[tuple[int, int], float | None]
    model: MarketModel


@dataclass(frozen=True)
class Skipped:
    reason: str  # e.g. "only 34 estimation sessions (need 60)"


def _label(window: tuple[int, int]) -> str:
    return "[" + ",".join("0" if k == 0 else f"{k:+d}" for k in window) + "]"


def event_reaction(
    stock: dict[dt.date, float],
    bench: dict[dt.date, float],
    sessions: Sequence[dt.date],
    event_session: dt.date,
    estimation: tuple[int, int] = (-120, -11),
    windows: Sequence[tuple[int, int]] = ((-1, 1), (0, 5)),
    min_estimation: int = 60,
) -> Reaction | Skipped:
    """Skipped (with a reason a person can act on) rather than a number from thin data.

    Days are counted in the stock's own sessions so a benchmark holiday cannot shift the
    window; a session where either return is missing is left out of the estimation but
    disqualifies an event window, whose every day carries the reaction.
    """
    if min_estimation < 3:
        raise ValueError("min_estimation below 3 leaves no residual spread to test against")
    for start, end in (estimation, *windows):
        if start > end:
            raise ValueError(f"window {_label((start, end))} ends before it starts")
    if windows and estimation[1] >= min(start for start, _ in windows):
        raise ValueError("the estimation window overlaps an event window")
    if any(a >= b for a, b in pairwise(sessions)):
        raise ValueError("sessions must be strictly increasing")
    try:
        at = list(sessions).index(event_session)
    except ValueError:
        return Skipped(f"{event_session.isoformat()} is not a trading session")

    for window in windows:
        if at + window[1] >= len(sessions):
            return Skipped(f"the {_label(window)} window ends after the last session")
        if at + window[0] < 0:
            return Skipped(f"the {_label(window)} window starts before the first session")
        for k in range(window[0], window[1] + 1):
            day = sessions[at + k]
            missing = [name for name, r in (("stock", stock), ("benchmark", bench)) if day not in r]
            if missing:
                return Skipped(
                    f"no {' or '.join(missing)} return on session {day.isoformat()}"
                    f" in the {_label(window)} window"
                )

    first, last = max(at + estimation[0], 0), at + estimation[1]
    days = [d for d in sessions[first : last + 1] if d in stock and d in bench] if last >= 0 else []
    if len(days) < min_estimation:
        return Skipped(f"only {len(days)} estimation sessions (need {min_estimation})")
    if len({bench[d] for d in days}) == 1:
        return Skipped("benchmark returns are constant over the estimation window")
    model = fit_market_model([stock[d] for d in days], [bench[d] for d in days])

    car: dict[tuple[int, int], float] = {}
    t_stat: dict[tuple[int, int], float | None] = {}
    for window in windows:
        span = [sessions[at + k] for k in range(window[0], window[1] + 1)]
        car[window] = math.fsum(stock[d] - (model.alpha + model.beta * bench[d]) for d in span)
        t_stat[window] = (
            car[window] / (model.resid_sd * math.sqrt(len(span))) if model.resid_sd > 0 else None
        )
    return Reaction(event_session=event_session, car=car, t_stat=t_stat, model=model)


def week_return(
    closes: Sequence[tuple[dt.date, float | None]], week_start: dt.date
) -> float | None:
    """Over the last close before the week, so Monday's move counts and a holiday week still
    has a return from whatever sessions it had."""
    if week_start.weekday() != 0:
        raise ValueError(f"{week_start.isoformat()} is not a Monday")
    week_end = week_start + dt.timedelta(days=6)
    good = sorted((d, c) for d, c in closes if c is not None and c > 0)
    before = [c for d, c in good if d < week_start]
    within = [c for d, c in good if week_start <= d <= week_end]
    if not before or not within:
        return None
    return within[-1] / before[-1] - 1.0


def average_car(rows: Iterable[tuple[str, float]]) -> dict[str, tuple[int, float]]:
    """Per key (count, mean), the count alongside so a mean of two events is not read as one
    of two hundred; a non-finite CAR is a missing measurement and is left out of both."""
    groups: dict[str, list[float]] = {}
    for key, value in rows:
        if math.isfinite(value):
            groups.setdefault(key, []).append(value)
    return {key: (len(vals), math.fsum(vals) / len(vals)) for key, vals in groups.items()}
