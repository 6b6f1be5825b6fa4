"""ISO weeks in the configured time zone, as the half-open UTC range a query needs."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from chipwire.models import iso_week_label
from chipwire.pipeline.errors import ChipwireError

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Week:
    year: int
    number: int
    zone: str

    @property
    def label(self) -> str:
        return iso_week_label(self.monday)

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Monday 00:00 to the next Monday 00:00 in the week's zone, in UTC: a reader in
        Tokyo gets Tokyo's week, and the store's times are UTC."""
        zone = ZoneInfo(self.zone)
        start = dt.datetime.combine(self.monday, dt.time(), zone)
        end = start + dt.timedelta(days=7)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)

    def shifted(self, weeks: int) -> Week:
        return week_of(self.monday + dt.timedelta(weeks=weeks), self.zone)


def week_of(day: dt.date, zone: str) -> Week:
    year, number, _ = day.isocalendar()
    return Week(year, number, zone)


def week_at(moment: dt.datetime, zone: str) -> Week:
    return week_of(moment.astimezone(ZoneInfo(zone)).date(), zone)


def parse_week(text: str, zone: str) -> Week:
    """``2026-W47`` (ISO 8601 week); a clear error otherwise."""
    found = _WEEK.match(text.strip())
    if found is None:
        raise ChipwireError(f"{text!r} is not an ISO week such as 2026-W47")
    year, number = int(found.group(1)), int(found.group(2))
    try:
        dt.date.fromisocalendar(year, number, 1)
    except ValueError as exc:
        raise ChipwireError(f"{text!r}: {year} has no week {number}") from exc
    return Week(year, number, zone)
