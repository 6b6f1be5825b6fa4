"""Trading calendars: events land on the first session that can react, bars are final only
after their session's own close, and the exchanges file is validated like the registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from chipwire.pipeline.config import DEFAULT_REGISTRY
from chipwire.pipeline.errors import ChipwireError, RegistryError
from chipwire.pipeline.market.calendars import (
    DEFAULT_EXCHANGES,
    CalendarRangeError,
    bar_is_final,
    calendar_for_exchange,
    calendar_for_symbol,
    currency_for_symbol,
    event_session,
    last_closed_session,
    load_exchanges,
    sessions,
)
from chipwire.pipeline.registry import load_registry

NY = ZoneInfo("America/New_York")
D = dt.date


def ny(*parts: int) -> dt.datetime:
    """A New York wall-clock time, whatever its UTC offset that day."""
    return dt.datetime(*parts, tzinfo=NY)


# --- the exchanges file -------------------------------------------------------------------


def test_shipped_file_maps_every_exchange_the_brief_names() -> None:
    expected = {
        "NASDAQ": ("XNAS", "USD"),
        "NYSE": ("XNYS", "USD"),
        "KRX": ("XKRX", "KRW"),
        "TSE": ("XTKS", "JPY"),
        "TWSE": ("XTAI", "TWD"),
        "XETRA": ("XETR", "EUR"),
        "TADAWUL": ("XSAU", "SAR"),
        "HKEX": ("XHKG", "HKD"),
        "SSE": ("XSHG", "CNY"),
        "LSE": ("XLON", "GBP"),
        "EURONEXT": ("XAMS", "EUR"),
    }
    loaded = load_exchanges(DEFAULT_EXCHANGES)
    for code, (calendar, currency) in expected.items():
        assert calendar_for_exchange(code) == calendar
        assert loaded.exchanges[code].currency == currency
    assert loaded.benchmarks["^GSPC"].calendar == "XNYS"
    assert loaded.benchmarks["SMH"].currency == "USD"


def test_exchanges_file_agrees_with_the_registry() -> None:
    registry = load_registry(DEFAULT_REGISTRY)
    exchanges = load_exchanges(DEFAULT_EXCHANGES).exchanges
    for code, exchange in registry.exchanges.items():
        assert code in exchanges, code
        assert (exchanges[code].calendar, exchanges[code].currency) == (
            exchange.calendar,
            exchange.currency,
        ), code
    for company in registry.companies:
        if company.exchange is not None:
            assert calendar_for_symbol(company.symbol or "", company.exchange)


def test_symbol_lookup_prefers_benchmarks_then_exchange() -> None:
    assert calendar_for_symbol("^GSPC", None) == "XNYS"
    assert calendar_for_symbol("SMH", "KRX") == "XNYS"  # a benchmark keeps its own calendar
    assert calendar_for_symbol("005930.KS", "KRX") == "XKRX"
    with pytest.raises(RegistryError, match="'NOPE'"):
        calendar_for_symbol("NOPE", None)


def test_currency_for_symbol() -> None:
    assert currency_for_symbol("^GSPC", None) == "USD"
    assert currency_for_symbol("2330.TW", "TWSE") == "TWD"
    assert currency_for_symbol("SAP.DE", "XETRA") == "EUR"
    assert currency_for_symbol("NOPE", None) is None
    assert currency_for_symbol("NOPE", "MARS") is None


def test_unknown_exchange_is_named() -> None:
    with pytest.raises(RegistryError, match=r"no exchange 'NASDQ' \(known: .*NASDAQ"):
        calendar_for_exchange("NASDQ")


GOOD = "version: 1\nexchanges:\n  NASDAQ: {calendar: XNAS, currency: USD}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "version: 1\nexchanges:\n  NASDAQ: {calendar: XXXX, currency: USD}\n",
            r": exchanges\.NASDAQ\.calendar: unknown calendar 'XXXX'",
        ),
        (
            "version: 1\nexchanges: {}\nbenchmarks:\n  SMH: {calendar: XNYZ, currency: USD}\n",
            r": benchmarks\.SMH\.calendar: unknown calendar 'XNYZ'",
        ),
        (
            "version: 1\nexchanges:\n  NASDAQ: {calendar: XNAS, currency: USD, suffix: x}\n",
            r": unknown key 'exchanges\.NASDAQ\.suffix'",
        ),
        (GOOD + "indices: {}\n", r": unknown key 'indices'"),
        (
            "version: 1\nexchanges:\n  KRX: {calendar: XKRX, currency: won}\n",
            r": exchanges\.KRX\.currency: ",
        ),
        ("version: 2\nexchanges: {}\n", r": version: "),
        ("version: 1\n", r": exchanges: Field required"),
        ("- just\n- a list\n", r": expected a mapping"),
        ("version: 1\nexchanges: {NASDAQ: [\n", r":\d+: not valid YAML"),
    ],
)
def test_bad_exchanges_file_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "exchanges.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match=message) as caught:
        load_exchanges(path)
    assert str(caught.value).startswith(str(path))


def test_good_minimal_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "exchanges.yaml"
    path.write_text(GOOD, encoding="utf-8")
    loaded = load_exchanges(path)
    assert loaded.exchanges["NASDAQ"].calendar == "XNAS"
    assert loaded.benchmarks == {}


def test_missing_exchanges_file(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="cannot read exchanges file"):
        load_exchanges(tmp_path / "absent.yaml")


# --- event sessions -----------------------------------------------------------------------


def test_weekend_event_goes_to_monday() -> None:
    assert event_session("XNYS", ny(2025, 6, 7, 12, 0)) == D(2025, 6, 9)  # Saturday
    assert event_session("XNYS", ny(2025, 6, 8, 23, 59)) == D(2025, 6, 9)  # Sunday night


def test_close_separates_same_day_from_next_session() -> None:
    assert event_session("XNYS", ny(2025, 6, 10, 15, 59)) == D(2025, 6, 10)
    assert event_session("XNYS", ny(2025, 6, 10, 16, 1)) == D(2025, 6, 11)
    assert event_session("XNYS", ny(2025, 6, 10, 16, 0)) == D(2025, 6, 11)  # at the bell
    assert event_session("XNYS", ny(2025, 6, 13, 16, 1)) == D(2025, 6, 16)  # Friday -> Monday
    assert event_session("XNYS", ny(2025, 6, 10, 4, 0)) == D(2025, 6, 10)  # pre-market


def test_naive_datetimes_are_utc() -> None:
    # 2025-06-10 16:00 New York is 20:00 UTC (EDT).
    assert event_session("XNYS", dt.datetime(2025, 6, 10, 19, 59)) == D(2025, 6, 10)
    assert event_session("XNYS", dt.datetime(2025, 6, 10, 20, 1)) == D(2025, 6, 11)


@pytest.mark.parametrize(
    ("holiday", "after"),
    [
        (D(2025, 7, 4), D(2025, 7, 7)),  # Independence Day, a Friday
        (D(2025, 12, 25), D(2025, 12, 26)),  # Christmas
        (D(2025, 1, 20), D(2025, 1, 21)),  # Martin Luther King Jr. Day
    ],
)
def test_us_holiday_goes_to_next_session(holiday: D, after: D) -> None:
    for calendar in ("XNYS", "XNAS"):
        when = dt.datetime.combine(holiday, dt.time(11, 0), NY)
        assert event_session(calendar, when) == after
        assert holiday not in sessions(calendar, holiday - dt.timedelta(days=7), after)


@pytest.mark.parametrize(
    ("week", "day"),
    [
        ("before March change (EST)", D(2025, 3, 7)),
        ("after March change (EDT)", D(2025, 3, 10)),
        ("before November change (EDT)", D(2025, 10, 31)),
        ("after November change (EST)", D(2025, 11, 3)),
    ],
)
def test_dst_weeks_follow_new_york_wall_clock(week: str, day: D) -> None:
    before = dt.datetime.combine(day, dt.time(15, 59), NY)
    after = dt.datetime.combine(day, dt.time(16, 1), NY)
    assert event_session("XNYS", before) == day, week
    assert event_session("XNYS", after) > day, week
    assert event_session("XNYS", before.astimezone(dt.UTC)) == day, week


def test_fixed_utc_close_would_be_wrong_across_dst() -> None:
    # 20:30 UTC is 15:30 EST (before the close) but 16:30 EDT (after it).
    assert event_session("XNYS", dt.datetime(2025, 3, 7, 20, 30, tzinfo=dt.UTC)) == D(2025, 3, 7)
    assert event_session("XNYS", dt.datetime(2025, 3, 10, 20, 30, tzinfo=dt.UTC)) == D(2025, 3, 11)


def test_early_close_uses_the_calendars_close() -> None:
    # The day after Thanksgiving closes at 13:00 New York.
    assert event_session("XNYS", ny(2025, 11, 28, 12, 59)) == D(2025, 11, 28)
    assert event_session("XNYS", ny(2025, 11, 28, 13, 30)) == D(2025, 12, 1)
    # The eve of Independence Day too; naive 17:00 UTC is 13:00 EDT.
    assert event_session("XNYS", dt.datetime(2025, 7, 3, 16, 59)) == D(2025, 7, 3)
    assert event_session("XNYS", dt.datetime(2025, 7, 3, 17, 1)) == D(2025, 7, 7)


@pytest.mark.parametrize(
    ("exchange", "zone", "holiday", "after"),
    [
        ("NASDAQ", "America/New_York", D(2025, 7, 4), D(2025, 7, 7)),
        ("NYSE", "America/New_York", D(2025, 12, 25), D(2025, 12, 26)),
        ("KRX", "Asia/Seoul", D(2025, 10, 6), D(2025, 10, 10)),  # Chuseok
        ("TSE", "Asia/Tokyo", D(2025, 1, 2), D(2025, 1, 6)),  # New Year
        ("TWSE", "Asia/Taipei", D(2025, 1, 29), D(2025, 2, 3)),  # Lunar New Year
        ("XETRA", "Europe/Berlin", D(2025, 12, 24), D(2025, 12, 29)),  # Christmas Eve
        ("XETRA", "Europe/Berlin", D(2025, 12, 26), D(2025, 12, 29)),  # Boxing Day
        ("TADAWUL", "Asia/Riyadh", D(2025, 6, 9), D(2025, 6, 10)),  # Eid al-Adha
        ("HKEX", "Asia/Hong_Kong", D(2025, 1, 29), D(2025, 2, 3)),  # Lunar New Year
        ("SSE", "Asia/Shanghai", D(2025, 10, 1), D(2025, 10, 9)),  # National Day week
        ("LSE", "Europe/London", D(2025, 12, 26), D(2025, 12, 29)),  # Boxing Day
        ("EURONEXT", "Europe/Amsterdam", D(2025, 12, 25), D(2025, 12, 29)),  # Christmas
    ],
)
def test_each_exchange_holiday_goes_to_its_next_session(
    exchange: str, zone: str, holiday: D, after: D
) -> None:
    calendar = calendar_for_exchange(exchange)
    around = sessions(calendar, holiday - dt.timedelta(days=10), after)
    assert holiday not in around
    assert around[-1] == after
    when = dt.datetime.combine(holiday, dt.time(11, 0), ZoneInfo(zone))
    got = event_session(calendar, when)
    assert got == after
    assert got != holiday
    assert bar_is_final(calendar, holiday, when)  # no session, nothing to wait for


def test_asian_close_in_local_time() -> None:
    seoul = ZoneInfo("Asia/Seoul")  # KRX closes 15:30 KST
    assert event_session("XKRX", dt.datetime(2025, 6, 10, 15, 29, tzinfo=seoul)) == D(2025, 6, 10)
    assert event_session("XKRX", dt.datetime(2025, 6, 10, 15, 31, tzinfo=seoul)) == D(2025, 6, 11)


def test_history_before_the_default_calendar_span() -> None:
    # exchange_calendars starts 20 years back by default; NYSE closed after 9/11.
    assert event_session("XNYS", ny(2001, 9, 11, 9, 0)) == D(2001, 9, 17)
    assert sessions("XNYS", D(2001, 9, 10), D(2001, 9, 18)) == [
        D(2001, 9, 10),
        D(2001, 9, 17),
        D(2001, 9, 18),
    ]


def test_dates_outside_the_calendar_are_clear_errors() -> None:
    with pytest.raises(CalendarRangeError, match="XSHG"):
        event_session("XSHG", dt.datetime(2040, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(CalendarRangeError, match="XNYS"):
        event_session("XNYS", dt.datetime(1995, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(CalendarRangeError, match="XSAU"):
        event_session("XSAU", dt.datetime(2019, 5, 5, 12, 0))  # XSAU starts in 2021
    with pytest.raises(CalendarRangeError, match="XSHG"):
        bar_is_final("XSHG", D(2040, 1, 2), dt.datetime(2040, 1, 3))
    assert bar_is_final("XSAU", D(2019, 5, 5), dt.datetime(2025, 1, 1))  # older: long closed
    with pytest.raises(CalendarRangeError):
        sessions("XNYS", D(2025, 1, 1), D(2090, 1, 1))
    assert issubclass(CalendarRangeError, ChipwireError)  # the CLI reports it as one line


# --- sessions, finality, staleness --------------------------------------------------------


def test_sessions_are_inclusive_and_skip_holidays() -> None:
    assert sessions("XNYS", D(2025, 7, 1), D(2025, 7, 8)) == [
        D(2025, 7, 1),
        D(2025, 7, 2),
        D(2025, 7, 3),
        D(2025, 7, 7),
        D(2025, 7, 8),
    ]
    assert sessions("XNYS", D(2025, 7, 4), D(2025, 7, 6)) == []
    assert sessions("XNYS", D(2025, 7, 8), D(2025, 7, 1)) == []


def test_bar_is_final_only_after_its_close() -> None:
    day = D(2025, 6, 10)
    assert not bar_is_final("XNYS", day, ny(2025, 6, 10, 15, 59))
    assert bar_is_final("XNYS", day, ny(2025, 6, 10, 16, 0))
    assert not bar_is_final("XNYS", day, ny(2025, 6, 9, 20, 0))  # the day before
    assert bar_is_final("XNYS", day, dt.datetime(2025, 6, 10, 20, 0))  # naive UTC = 16:00 EDT
    assert not bar_is_final("XNYS", day, dt.datetime(2025, 6, 10, 19, 59))


def test_bar_is_final_on_early_close_and_non_sessions() -> None:
    assert bar_is_final("XNYS", D(2025, 11, 28), ny(2025, 11, 28, 13, 30))
    assert not bar_is_final("XNYS", D(2025, 11, 28), ny(2025, 11, 28, 12, 30))
    assert bar_is_final("XNYS", D(2025, 7, 4), ny(2025, 7, 4, 0, 0))  # holiday
    assert bar_is_final("XNYS", D(2025, 6, 7), ny(2025, 6, 7, 0, 0))  # Saturday


def test_last_closed_session() -> None:
    assert last_closed_session("XNYS", ny(2025, 6, 7, 12, 0)) == D(2025, 6, 6)  # Saturday
    assert last_closed_session("XNYS", ny(2025, 6, 9, 10, 0)) == D(2025, 6, 6)  # Monday open
    assert last_closed_session("XNYS", ny(2025, 6, 9, 16, 0)) == D(2025, 6, 9)  # at the close
    assert last_closed_session("XNYS", ny(2025, 7, 5, 9, 0)) == D(2025, 7, 3)  # after July 4
    assert last_closed_session("XKRX", ny(2025, 10, 9, 12, 0)) == D(2025, 10, 2)  # Chuseok
    with pytest.raises(CalendarRangeError):
        last_closed_session("XNYS", dt.datetime(2090, 1, 1))
