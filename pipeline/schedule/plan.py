"""The configured schedule as APScheduler triggers: one place both the scheduler and
``chipwire status`` (what is overdue) read it.

Cron fields are read in the job's own zone (the market's close is New York's, the
briefing's Monday morning the user's), so a daylight-saving change moves nothing: a
7:00 job fires at 7:00 local on both sides of it, once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from chipwire.pipeline.config import JobSchedule, Settings, parse_duration
from chipwire.pipeline.errors import ConfigError

# Scheduled job id -> (the task it runs, the job_run names whose success counts for it).
TASKS: dict[str, tuple[str, ...]] = {
    "crawl": ("crawl", "extract"),
    "market": ("market-refresh",),
    "brief": ("brief",),
}


class LocalCronTrigger(CronTrigger):
    """A cron trigger that fires once at a wall-clock time the clocks pass twice.

    When clocks go back, APScheduler 3.11's CronTrigger returns the repeated time's second
    occurrence and then keeps returning it (agronholm/apscheduler#1021): the job would run
    twice and the scheduler loop forever.  Here the second occurrence is skipped, and a
    next time that does not move forward is searched again past the repeated hour.
    """

    def get_next_fire_time(
        self, previous_fire_time: dt.datetime | None, now: dt.datetime
    ) -> dt.datetime | None:
        fire = super().get_next_fire_time(previous_fire_time, now)
        for _ in range(4):  # bounded: never a busy loop, whatever the zone's rules
            if fire is None:
                return None
            stuck = previous_fire_time is not None and fire <= previous_fire_time
            if not stuck and not _second_occurrence(fire):
                return fire
            # past the repeated stretch (its length is the offset change), or a minute on
            fold = abs(fire.replace(fold=0).utcoffset() - fire.utcoffset())  # type: ignore[operator]
            start = max(fire, previous_fire_time or fire)
            fire = super().get_next_fire_time(None, start + max(fold, _MINUTE))
        return fire


_MINUTE = dt.timedelta(minutes=1)


def _second_occurrence(moment: dt.datetime) -> bool:
    """Is this local time the later of two instants the wall clock showed it?"""
    first = moment.replace(fold=0)
    return moment.fold == 1 and first.utcoffset() != moment.utcoffset()


@dataclass(frozen=True)
class PlannedJob:
    """One scheduled job: its id (also the task name), trigger and misfire grace."""

    id: str
    trigger: BaseTrigger
    grace: dt.timedelta
    description: str


def trigger_for(job: JobSchedule, default_zone: str, *, name: str) -> BaseTrigger:
    zone = ZoneInfo(job.timezone or default_zone)
    if job.every is not None:
        return IntervalTrigger(seconds=parse_duration(job.every).total_seconds(), timezone=zone)
    assert job.cron is not None  # noqa: S101 - JobSchedule guarantees one of the two
    try:
        return LocalCronTrigger.from_crontab(job.cron, timezone=zone)
    except ValueError as exc:
        raise ConfigError(f"schedule.{name}.cron: {exc} in {job.cron!r}") from exc


def planned_jobs(settings: Settings) -> list[PlannedJob]:
    """The enabled jobs of the configured schedule, in chain order."""
    jobs: list[PlannedJob] = []
    for name in TASKS:
        job: JobSchedule = getattr(settings.schedule, name)
        if not job.enabled:
            continue
        when = f"every {job.every}" if job.every else f"cron '{job.cron}'"
        zone = job.timezone or settings.timezone
        jobs.append(
            PlannedJob(
                id=name,
                trigger=trigger_for(job, settings.timezone, name=name),
                grace=parse_duration(job.misfire_grace),
                description=f"{when} ({zone}), misfire grace {job.misfire_grace}",
            )
        )
    return jobs


def last_due(trigger: BaseTrigger, now: dt.datetime, lookback: dt.timedelta) -> dt.datetime | None:
    """The trigger's latest fire time at or before ``now`` (searching back ``lookback``)."""
    if isinstance(trigger, IntervalTrigger):
        # an interval has no fixed phase before the scheduler starts: one period ago is due
        return now - trigger.interval
    start = now - lookback
    previous: dt.datetime | None = None
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire <= now:
        previous = fire
        fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
    return previous
