"""The pieces of the market analysis that decide dates: no look-ahead, ISO weeks, and a
benchmark read on another exchange's sessions."""

from __future__ import annotations

import datetime as dt

import pytest

from chipwire.pipeline.market import calendars
from chipwire.pipeline.market.analyse import aligned_returns, iso_week, known_at
from chipwire.reports.week import week_of

UTC = dt.UTC


def test_an_article_counts_from_when_it_could_first_be_known() -> None:
    seen = dt.datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    earlier = dt.datetime(2026, 3, 3, 22, 0, tzinfo=UTC)
    later = dt.datetime(2026, 3, 5, 8, 0, tzinfo=UTC)  # a date that claims the future
    assert known_at(earlier, seen) == earlier
    assert known_at(later, seen) == seen
    assert known_at(None, seen) == seen


@pytest.mark.parametrize(
    ("day", "week", "monday"),
    [
        (dt.date(2026, 1, 1), "2026-W01", dt.date(2025, 12, 29)),  # ISO years cross Jan 1
        (dt.date(2026, 1, 10), "2026-W02", dt.date(2026, 1, 5)),
        (dt.date(2027, 1, 3), "2026-W53", dt.date(2026, 12, 28)),
        (dt.date(2024, 12, 30), "2025-W01", dt.date(2024, 12, 30)),
    ],
)
def test_iso_weeks(day: dt.date, week: str, monday: dt.date) -> None:
    assert iso_week(day) == (week, monday)
    # The briefing joins company_week on its own Week's label: the two must agree.
    assert week_of(day, "UTC").label == week
    assert week_of(day, "UTC").monday == monday


def test_a_us_holiday_is_a_flat_benchmark_day_on_a_seoul_session() -> None:
    seoul = calendars.sessions("XKRX", dt.date(2026, 9, 3), dt.date(2026, 9, 9))
    assert dt.date(2026, 9, 7) in seoul  # Labor Day: New York shut, Seoul open
    new_york = calendars.sessions("XNYS", dt.date(2026, 9, 3), dt.date(2026, 9, 9))
    closes = list(zip(new_york, [100.0, 102.0, 99.96, 101.0], strict=True))
    returns = aligned_returns(closes, seoul)
    assert returns[dt.date(2026, 9, 4)] == pytest.approx(0.02)
    assert returns[dt.date(2026, 9, 7)] == 0.0
    assert returns[dt.date(2026, 9, 8)] == pytest.approx(99.96 / 102.0 - 1)
    assert set(returns) == set(seoul[1:])  # every Seoul session after the first has one
