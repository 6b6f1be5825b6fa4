"""Trading calendars: which session a news event or a daily bar belongs to.

An event study compares a stock's return on the first session that could react to a piece
of news, so "which day" must follow each exchange's own holidays, half days and time zone,
not the calendar date of the article. exchange_calendars knows those schedules; this module
maps the registry's exchange codes onto them (``pipeline/data/exchanges.yaml``) and turns
its answers into plain dates.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Literal

import exchange_calendars as xc
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chipwire.pipeline.config import PACKAGE_ROOT
from chipwire.pipeline.errors import ChipwireError, RegistryError
from chipwire.pipeline.registry import parse_yaml_mapping

DEFAULT_EXCHANGES = PACKAGE_ROOT / "pipeline" / "data" / "exchanges.yaml"

# Calendars start 20 years back by default; the registry's price history goes further.
HISTORY_START = dt.date(2000, 1, 1)


class CalendarRangeError(ChipwireError):
    """A date outside the span the installed exchange_calendars knows for that calendar."""


class Listing(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    calendar: str = Field(description="exchange_calendars code, e.g. XNYS.")
    currency: str = Field(pattern=r"^[A-Z]{3}$")

    @field_validator("calendar")
    @classmethod
    def _known_calendar(cls, value: str) -> str:
        if value not in _calendar_names():
            raise ValueError(
                f"unknown calendar {value!r} (see exchange_calendars.get_calendar_names())"
            )
        return value


class ExchangesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    exchanges: dict[str, Listing]
    benchmarks: dict[str, Listing] = Field(default_factory=dict)


@functools.cache
def _calendar_names() -> frozenset[str]:
    return frozenset(xc.get_calendar_names())


def load_exchanges(path: Path = DEFAULT_EXCHANGES) -> ExchangesFile:
    """Parse and validate an exchanges file; a hand-edited file deserves errors naming the key."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read exchanges file: {exc}") from exc
    data = parse_yaml_mapping(path, text, "'version' and 'exchanges'")
    try:
        return ExchangesFile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"]) or "file"
        if error["type"] == "extra_forbidden":
            raise RegistryError(f"{path}: unknown key '{key}'") from exc
        message = str(error["msg"]).removeprefix("Value error, ")
        raise RegistryError(f"{path}: {key}: {message}") from exc


@functools.cache
def _exchanges() -> ExchangesFile:
    return load_exchanges(DEFAULT_EXCHANGES)


def calendar_for_exchange(exchange: str) -> str:
    """The registry names exchanges as analysts know them (KRX); calendars use MICs (XKRX)."""
    listing = _exchanges().exchanges.get(exchange)
    if listing is None:
        known = ", ".join(sorted(_exchanges().exchanges))
        raise RegistryError(f"{DEFAULT_EXCHANGES}: no exchange {exchange!r} (known: {known})")
    return listing.calendar


def calendar_for_symbol(symbol: str, exchange: str | None) -> str:
    """Benchmarks (SMH, ^GSPC) belong to no registry company, so the exchanges file lists them."""
    listing = _exchanges().benchmarks.get(symbol)
    if listing is not None:
        return listing.calendar
    if exchange is None:
        raise RegistryError(
            f"{DEFAULT_EXCHANGES}: symbol {symbol!r} has no exchange and is not a benchmark"
        )
    return calendar_for_exchange(exchange)


def currency_for_symbol(symbol: str, exchange: str | None) -> str | None:
    """None rather than an error: a bar in an unknown currency is still worth storing."""
    listing = _exchanges().benchmarks.get(symbol) or _exchanges().exchanges.get(exchange or "")
    return listing.currency if listing is not None else None


@functools.cache
def _calendar(code: str) -> xc.ExchangeCalendar:
    """Building a calendar takes ~0.1 s, so each is built once, from HISTORY_START on."""
    if code not in _calendar_names():
        raise RegistryError(f"unknown trading calendar {code!r}")
    first = _first_day(xc.get_calendar(code))  # the default span is always buildable
    return xc.get_calendar(code, start=pd.Timestamp(first))


def _first_day(cal: xc.ExchangeCalendar) -> dt.date:
    """Sessions are complete from the start the calendar was built with, not its first session."""
    bound = cal.bound_min()
    return max(HISTORY_START, bound.date()) if bound is not None else HISTORY_START


def _check_day(code: str, cal: xc.ExchangeCalendar, day: dt.date) -> None:
    first, last = _first_day(cal), cal.last_session.date()
    if not first <= day <= last:
        raise CalendarRangeError(
            f"{day} is outside the {code} calendar ({first} to {last}, "
            f"exchange_calendars {xc.__version__}); a newer exchange_calendars may know more"
        )


def _past_end(code: str, cal: xc.ExchangeCalendar, when: dt.datetime) -> CalendarRangeError:
    return CalendarRangeError(
        f"{when} is after the last {code} session exchange_calendars {xc.__version__} knows "
        f"({cal.last_session.date()}); a newer exchange_calendars may know more"
    )


def _nanos(when: dt.datetime) -> int:
    """Naive datetimes are UTC, as the store keeps them."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return pd.Timestamp(when).tz_convert("UTC").value


def event_session(calendar: str, when: dt.datetime) -> dt.date:
    """The first session whose close is after ``when``: the first whose price can react.

    Comparing with each session's own close, not a fixed 16:00, keeps half days (the day
    after Thanksgiving closes at 13:00) and DST changes right.
    """
    cal = _calendar(calendar)
    start = pd.Timestamp(_first_day(cal)).tz_localize(cal.tz)
    if _nanos(when) < start.value:
        raise CalendarRangeError(f"{when} is before the {calendar} calendar starts ({start})")
    index = int(cal.closes_nanos.searchsorted(_nanos(when), side="right"))
    if index >= len(cal.sessions):
        raise _past_end(calendar, cal, when)
    return cal.sessions[index].date()


def sessions(calendar: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Trading days from start to end inclusive: the days a complete price history has bars."""
    cal = _calendar(calendar)
    _check_day(calendar, cal, start)
    _check_day(calendar, cal, end)
    days = cal.sessions
    return [day.date() for day in days[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]]


def bar_is_final(calendar: str, day: dt.date, now: dt.datetime) -> bool:
    """A bar fetched while its session is open holds an intraday price that must not be stored.

    A day without a session has no bar that could still change, so it counts as final.
    """
    cal = _calendar(calendar)
    if day < _first_day(cal):
        return True  # older than the calendar: long closed, whatever its schedule was
    _check_day(calendar, cal, day)
    if not cal.is_session(pd.Timestamp(day)):
        return True
    return _nanos(now) >= cal.session_close(pd.Timestamp(day)).value


def last_closed_session(calendar: str, now: dt.datetime) -> dt.date:
    """The newest session a complete history must have a bar for, to tell stale from closed."""
    cal = _calendar(calendar)
    if _nanos(now) > cal.last_session_close.value:
        raise _past_end(calendar, cal, now)
    index = int(cal.closes_nanos.searchsorted(_nanos(now), side="right")) - 1
    if index < 0:
        raise CalendarRangeError(f"no {calendar} session closed before {now}")
    return cal.sessions[index].date()
