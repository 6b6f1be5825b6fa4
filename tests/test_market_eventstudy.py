"""Market-model event study: exact recovery on noiseless data, sane t-stats with noise, and
every way a study is refused (thin estimation, a hole in the window, a window past the data)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from chipwire.pipeline.market.eventstudy import (
    MarketModel,
    Reaction,
    Skipped,
    average_car,
    event_reaction,
    fit_market_model,
    simple_returns,
    week_return,
)

ALPHA, BETA = 0.0002, 1.5
N_SESSIONS = 200
EVENT_AT = 150


def weekdays(start: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


SESSIONS = weekdays(dt.date(2024, 1, 1), N_SESSIONS)
EVENT = SESSIONS[EVENT_AT]


def synthetic(
    seed: int, jump: float, noise_sd: float = 0.0, bench_sd: float = 0.01
) -> tuple[dict[dt.date, float], dict[dt.date, float]]:
    """Stock = ALPHA + BETA * bench (+ noise), plus ``jump`` on the event session only."""
    rng = np.random.default_rng(seed)
    bench_r = rng.normal(0.0005, bench_sd, N_SESSIONS)
    stock_r = ALPHA + BETA * bench_r + rng.normal(0.0, noise_sd, N_SESSIONS)
    stock_r[EVENT_AT] += jump
    bench = {d: float(r) for d, r in zip(SESSIONS, bench_r, strict=True)}
    stock = {d: float(r) for d, r in zip(SESSIONS, stock_r, strict=True)}
    return stock, bench


def reaction(stock: dict, bench: dict, event: dt.date = EVENT, **kw: object) -> Reaction:
    result = event_reaction(stock, bench, SESSIONS, event, **kw)
    assert isinstance(result, Reaction), result
    return result


def skipped(stock: dict, bench: dict, event: dt.date = EVENT, **kw: object) -> str:
    result = event_reaction(stock, bench, SESSIONS, event, **kw)
    assert isinstance(result, Skipped), result
    return result.reason


# --- the model on exact data ------------------------------------------------------------


def test_exact_data_recovers_alpha_beta_and_the_jump() -> None:
    stock, bench = synthetic(seed=1, jump=0.04)
    r = reaction(stock, bench)
    assert r.event_session == EVENT
    assert r.model.beta == pytest.approx(BETA, abs=1e-9)
    assert r.model.alpha == pytest.approx(ALPHA, abs=1e-12)
    assert r.model.n == 110  # relative days -120..-11, all with both returns
    assert r.car[(-1, 1)] == pytest.approx(0.04, abs=1e-12)
    assert r.car[(0, 5)] == pytest.approx(0.04, abs=1e-12)
    # Convention: an exact fit has no residual spread, so the t-statistic is None (not nan,
    # not inf): there is no noise to measure the reaction against.
    assert r.model.resid_sd == 0.0
    assert r.t_stat == {(-1, 1): None, (0, 5): None}


def test_jump_outside_a_window_is_not_in_its_car() -> None:
    stock, bench = synthetic(seed=2, jump=0.0)
    stock[SESSIONS[EVENT_AT + 3]] += 0.05  # day +3: inside [0,+5], outside [-1,+1]
    r = reaction(stock, bench)
    assert r.car[(-1, 1)] == pytest.approx(0.0, abs=1e-12)
    assert r.car[(0, 5)] == pytest.approx(0.05, abs=1e-12)


def test_event_in_estimation_window_would_bias_the_fit_so_it_is_refused() -> None:
    stock, bench = synthetic(seed=3, jump=0.0)
    with pytest.raises(ValueError, match="overlaps"):
        event_reaction(stock, bench, SESSIONS, EVENT, estimation=(-120, 0))


# --- the model with noise ---------------------------------------------------------------


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_noisy_stock_beta_close_and_t_stat_separates_jump_from_none(seed: int) -> None:
    # Standard error of beta is noise_sd / (bench_sd * sqrt(110)) ~ 0.048 with a 2% benchmark,
    # so 0.1 is about two of them (with a 1% benchmark it would be one): fixed seeds keep the
    # draw deterministic, the margin keeps it from being a lucky one.
    stock, bench = synthetic(seed=seed, jump=0.10, noise_sd=0.01, bench_sd=0.02)
    r = reaction(stock, bench)
    assert abs(r.model.beta - BETA) < 0.1
    assert r.model.resid_sd == pytest.approx(0.01, rel=0.25)
    t = r.t_stat[(-1, 1)]
    assert t is not None
    assert t > 3
    # t-stat definition: CAR over residual sd scaled by the window's length (3 sessions).
    assert t == pytest.approx(r.car[(-1, 1)] / (r.model.resid_sd * math.sqrt(3)))

    calm_stock, calm_bench = synthetic(seed=seed, jump=0.0, noise_sd=0.01, bench_sd=0.02)
    calm = reaction(calm_stock, calm_bench)
    for window in [(-1, 1), (0, 5)]:
        t_calm = calm.t_stat[window]
        assert t_calm is not None
        assert abs(t_calm) < 3


def test_fit_matches_numpy_polyfit_and_ddof_2_spread() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(0, 0.01, 80)
    y = 0.001 - 0.7 * x + rng.normal(0, 0.005, 80)
    model = fit_market_model(list(y), list(x))
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (intercept + slope * x)
    assert model == MarketModel(
        alpha=pytest.approx(intercept), beta=pytest.approx(slope),
        resid_sd=pytest.approx(float(np.std(resid, ddof=2))), n=80,
    )  # fmt: skip


def test_fit_rejects_mismatched_or_degenerate_input() -> None:
    with pytest.raises(ValueError, match="shape"):
        fit_market_model([0.1, 0.2, 0.3], [0.1, 0.2])
    with pytest.raises(ValueError, match="at least 3"):
        fit_market_model([0.1, 0.2], [0.1, 0.2])
    with pytest.raises(ValueError, match="constant"):
        fit_market_model([0.1, 0.2, 0.3], [0.01, 0.01, 0.01])


# --- refusals ---------------------------------------------------------------------------


def test_too_few_estimation_sessions_says_how_many() -> None:
    stock, bench = synthetic(seed=4, jump=0.0)
    # Event at index 40: relative days -120..-11 reach back only to index 0..29.
    assert skipped(stock, bench, event=SESSIONS[40]) == "only 30 estimation sessions (need 60)"


def test_estimation_days_missing_either_return_do_not_count() -> None:
    stock, bench = synthetic(seed=5, jump=0.0)
    for k in range(-120, -80):  # 40 days without a stock return
        del stock[SESSIONS[EVENT_AT + k]]
    for k in range(-80, -70):  # 10 days without a benchmark return (its holidays)
        del bench[SESSIONS[EVENT_AT + k]]
    assert skipped(stock, bench, min_estimation=61) == "only 60 estimation sessions (need 61)"
    assert reaction(stock, bench).model.n == 60


def test_missing_return_inside_the_window_names_the_session() -> None:
    stock, bench = synthetic(seed=6, jump=0.0)
    hole = SESSIONS[EVENT_AT + 4]  # only inside [0,+5]
    del stock[hole]
    reason = skipped(stock, bench)
    assert hole.isoformat() in reason
    assert "stock" in reason
    assert "[0,+5]" in reason

    stock, bench = synthetic(seed=6, jump=0.0)
    del bench[SESSIONS[EVENT_AT - 1]]
    reason = skipped(stock, bench)
    assert SESSIONS[EVENT_AT - 1].isoformat() in reason
    assert "benchmark" in reason


def test_window_beyond_the_last_session() -> None:
    stock, bench = synthetic(seed=8, jump=0.0)
    near_end = SESSIONS[N_SESSIONS - 3]  # +1 exists, +5 does not
    assert skipped(stock, bench, event=near_end) == (
        "the [0,+5] window ends after the last session"
    )
    # The short window alone is fine.
    assert reaction(stock, bench, event=near_end, windows=[(-1, 1)]).car.keys() == {(-1, 1)}


def test_event_that_is_not_a_session() -> None:
    stock, bench = synthetic(seed=9, jump=0.0)
    saturday = dt.date(2024, 7, 6)
    assert saturday.weekday() == 5
    assert "not a trading session" in skipped(stock, bench, event=saturday)


# --- returns and weeks ------------------------------------------------------------------


def test_simple_returns_sorts_and_does_not_bridge_a_missing_close() -> None:
    d = [dt.date(2025, 3, day) for day in (3, 4, 5, 6, 7, 10, 11)]
    closes = [
        (d[3], 110.0),
        (d[0], 100.0),
        (d[2], None),  # hole: no return into it, none out of it either
        (d[1], 102.0),
        (d[5], 121.0),  # weekend 8-9 absent: a non-trading gap, bridged
        (d[4], 121.0),
        (d[6], 0.0),  # a bad print
    ]
    assert simple_returns(closes) == pytest.approx({d[1]: 0.02, d[4]: 0.1, d[5]: 0.0})
    assert list(simple_returns(closes)) == [d[1], d[4], d[5]]  # keyed in session order
    with pytest.raises(ValueError, match="two closes"):
        simple_returns([(d[0], 1.0), (d[0], 2.0)])


def test_week_return_across_a_holiday_week() -> None:
    closes = [
        (dt.date(2024, 3, 21), 90.0),
        (dt.date(2024, 3, 22), 100.0),  # last close before the week
        (dt.date(2024, 3, 25), 101.0),
        (dt.date(2024, 3, 27), None),
        (dt.date(2024, 3, 28), 105.0),  # Good Friday 29th: no session, Thursday closes it
        (dt.date(2024, 4, 2), 103.0),  # Easter Monday 1st closed too
    ]
    assert week_return(closes, dt.date(2024, 3, 25)) == pytest.approx(0.05)
    assert week_return(closes, dt.date(2024, 4, 1)) == pytest.approx(103 / 105 - 1)
    assert week_return(closes, dt.date(2024, 3, 18)) is None  # nothing before it
    assert week_return(closes, dt.date(2024, 4, 8)) is None  # no session in the week
    with pytest.raises(ValueError, match="Monday"):
        week_return(closes, dt.date(2024, 3, 26))


def test_average_car_counts_and_means_per_key() -> None:
    rows = [("deal", 0.01), ("funding", -0.02), ("deal", 0.03), ("deal", math.nan)]
    result = average_car(rows)
    assert result.keys() == {"deal", "funding"}
    assert result["deal"][0] == 2
    assert result["deal"][1] == pytest.approx(0.02)
    assert result["funding"] == (1, pytest.approx(-0.02))
    assert average_car([]) == {}
