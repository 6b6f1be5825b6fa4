"""The scheduler: triggers in local time, coalescing, one scheduler per store, failures.

The clock is time-machine's: the scheduler computes due jobs from the (virtual) wall
clock, and the service wakes it every ``tick`` to look, so moving the clock makes jobs
due without waiting for them.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from chipwire.models import JobRun
from chipwire.pipeline.config import JobSchedule, Schedule, Settings
from chipwire.pipeline.schedule.lock import SchedulerLock, SchedulerLocked
from chipwire.pipeline.schedule.plan import planned_jobs
from chipwire.pipeline.schedule.service import JOB_TABLE, SchedulerService
from chipwire.pipeline.status import gather_status
from tests.scheduling import TaskRecorder, settle, wait_for

LONDON = ZoneInfo("Europe/London")
OFF = JobSchedule(every="1d", enabled=False)


def with_schedule(settings: Settings, timezone: str = "UTC", **jobs: JobSchedule) -> Settings:
    plan = {"crawl": OFF, "market": OFF, "brief": OFF, **jobs}
    return settings.model_copy(update={"schedule": Schedule(**plan), "timezone": timezone})


@pytest.fixture
def service_for(engine: Engine) -> Iterator[Any]:
    """Build services that are stopped at the end of the test whatever happens."""
    started: list[SchedulerService] = []

    def build(settings: Settings) -> SchedulerService:
        service = SchedulerService(settings, tick=0.02)
        started.append(service)
        return service

    yield build
    for service in started:
        if service.scheduler is not None:
            service.stop()


# -- triggers -------------------------------------------------------------------------------


def fires(settings: Settings, job: str, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    trigger = next(p.trigger for p in planned_jobs(settings) if p.id == job)
    out: list[dt.datetime] = []
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire < end and len(out) < 1000:
        out.append(fire)
        fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
    return out


def test_a_daily_cron_fires_once_a_day_at_local_time_across_both_dst_changes(
    settings: Settings,
) -> None:
    local = with_schedule(settings, "Europe/London", brief=JobSchedule(cron="0 7 * * *"))
    spring = fires(
        local,
        "brief",
        dt.datetime(2026, 3, 26, tzinfo=LONDON),
        dt.datetime(2026, 4, 2, tzinfo=LONDON),
    )
    assert [f.astimezone(LONDON).hour for f in spring] == [7] * 7
    assert [f.astimezone(LONDON).day for f in spring] == [26, 27, 28, 29, 30, 31, 1]
    # 07:00 GMT before the change on 29 March, 07:00 BST (06:00 UTC) after it
    assert [f.astimezone(dt.UTC).hour for f in spring] == [7, 7, 7, 6, 6, 6, 6]
    # 01:30 happens twice on 25 October (clocks go back at 02:00 BST): still one run
    night = with_schedule(settings, "Europe/London", brief=JobSchedule(cron="30 1 * * *"))
    autumn = fires(
        night,
        "brief",
        dt.datetime(2026, 10, 24, 12, tzinfo=LONDON),
        dt.datetime(2026, 10, 26, 12, tzinfo=LONDON),
    )
    assert [f.astimezone(LONDON).date().day for f in autumn] == [25, 26]
    # hourly through the repeated hour: each wall-clock time once, and the schedule moves on
    hourly = with_schedule(settings, "Europe/London", brief=JobSchedule(cron="30 * * * *"))
    night = fires(
        hourly,
        "brief",
        dt.datetime(2026, 10, 25, 0, tzinfo=LONDON),
        dt.datetime(2026, 10, 25, 4, 45, tzinfo=LONDON),
    )
    assert [f.astimezone(LONDON).strftime("%H:%M") for f in night] == [
        "00:30",
        "01:30",
        "02:30",
        "03:30",
        "04:30",
    ]


def test_the_default_schedule_reads_market_hours_in_new_york(settings: Settings) -> None:
    plan = {p.id: p for p in planned_jobs(settings)}
    assert set(plan) == {"crawl", "market", "brief"}
    monday = dt.datetime(2026, 7, 6, tzinfo=dt.UTC)
    market = plan["market"].trigger.get_next_fire_time(None, monday)
    assert market.astimezone(ZoneInfo("America/New_York")).strftime("%a %H:%M") == "Mon 16:30"
    brief = plan["brief"].trigger.get_next_fire_time(None, monday + dt.timedelta(hours=8))
    assert brief.strftime("%a %H:%M") == "Mon 07:00" and brief.date() == dt.date(2026, 7, 13)


# -- the running scheduler ------------------------------------------------------------------


def test_a_week_across_the_spring_dst_change_fires_once_at_seven_local(
    settings: Settings, engine: Engine, service_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = TaskRecorder(monkeypatch)
    local = with_schedule(settings, "Europe/London", brief=JobSchedule(cron="0 7 * * mon"))
    start = dt.datetime(2026, 3, 26, 12, tzinfo=LONDON)  # Thursday before the change
    with time_machine.travel(start, tick=False) as clock:
        service = service_for(local)
        service.start()
        # through the weekend in six-hour steps, across 01:00 -> 02:00 on Sunday 29 March
        moment = start
        while moment < dt.datetime(2026, 3, 30, 6, 59, tzinfo=LONDON):
            moment += dt.timedelta(hours=6)
            clock.move_to(min(moment, dt.datetime(2026, 3, 30, 6, 59, tzinfo=LONDON)))
            settle(0.05)
        assert recorder.count() == 0
        clock.move_to(dt.datetime(2026, 3, 30, 7, 0, 1, tzinfo=LONDON))
        wait_for(lambda: recorder.count() == 1, "Monday's 07:00 run")
        clock.move_to(dt.datetime(2026, 3, 30, 12, tzinfo=LONDON))
        settle()
    assert recorder.count() == 1
    (_, at) = recorder.calls[0]
    assert at.astimezone(LONDON).strftime("%a %H:%M") == "Mon 07:00"
    assert at.hour == 6  # UTC: British Summer Time has begun


def test_after_a_downtime_of_many_periods_a_job_runs_once(
    settings: Settings, engine: Engine, service_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = TaskRecorder(monkeypatch)
    hourly = with_schedule(settings, crawl=JobSchedule(every="1h", misfire_grace="2h"))
    start = dt.datetime(2026, 5, 4, 8, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        first = service_for(hourly)
        first.start()
        first.stop()  # down for ten periods
        clock.move_to(start + dt.timedelta(hours=10, minutes=1))
        second = service_for(hourly)
        second.start()
        wait_for(lambda: recorder.count("crawl") >= 1, "the coalesced catch-up run")
        settle()
        assert recorder.count("crawl") == 1
        # and the schedule goes on from there: one more run an hour later
        clock.move_to(start + dt.timedelta(hours=11, minutes=1))
        wait_for(lambda: recorder.count("crawl") >= 2, "the next hourly run")
        settle()
    assert recorder.count("crawl") == 2


def test_a_changed_trigger_replaces_the_stored_job_and_a_removed_one_goes(
    settings: Settings, engine: Engine, service_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    TaskRecorder(monkeypatch)
    first = service_for(
        with_schedule(
            settings, crawl=JobSchedule(every="1h"), brief=JobSchedule(cron="0 7 * * mon")
        )
    )
    first.start()
    first.stop()
    second = service_for(with_schedule(settings, crawl=JobSchedule(every="3h")))
    second.start()
    jobs = {job.id: job for job in second.scheduler.get_jobs()}
    assert set(jobs) == {"crawl"}
    assert jobs["crawl"].trigger.interval == dt.timedelta(hours=3)


def test_a_second_scheduler_on_the_same_store_is_refused_naming_the_holder(
    settings: Settings, engine: Engine, service_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    TaskRecorder(monkeypatch)
    first = service_for(with_schedule(settings))
    first.start()
    with pytest.raises(SchedulerLocked, match=rf"pid {os.getpid()} on {socket.gethostname()}"):
        service_for(with_schedule(settings)).start()
    first.stop()
    third = service_for(with_schedule(settings))
    third.start()  # released on stop: the next one starts
    assert third.scheduler is not None


def test_a_lock_file_left_by_a_killed_scheduler_is_taken_over(
    settings: Settings, tmp_path: Path
) -> None:
    database = tmp_path / "solo" / "chipwire.db"
    url = f"sqlite:///{database}"
    holder = textwrap.dedent(
        f"""
        import sys, time
        from chipwire.pipeline.db import make_engine
        from chipwire.pipeline.schedule.lock import SchedulerLock
        from pathlib import Path
        lock = SchedulerLock(make_engine({url!r}), Path({str(tmp_path)!r}))
        lock.acquire()
        print("held", flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        from chipwire.pipeline.db import make_engine

        lock = SchedulerLock(make_engine(url), tmp_path)
        with pytest.raises(SchedulerLocked, match=rf"pid {child.pid} on "):
            lock.acquire()
        child.kill()
        child.wait()
        assert lock.holder() is None  # the file still names the dead holder; nobody holds it
        lock.acquire()
        assert f"pid {os.getpid()} " in (lock.holder() or "")
        lock.release()
    finally:
        child.kill()
        child.wait()


def test_a_failing_job_is_recorded_and_the_next_job_still_runs(
    settings: Settings, engine: Engine, service_for: Any, tmp_path: Path
) -> None:
    broken = with_schedule(
        settings,
        market=JobSchedule(cron="0 6 * * *"),
        brief=JobSchedule(cron="0 7 * * *"),
    ).model_copy(update={"prices_csv": tmp_path / "missing.csv"})
    start = dt.datetime(2026, 6, 1, 5, tzinfo=dt.UTC)

    def runs(job: str) -> list[JobRun]:
        with Session(engine) as session:
            return list(session.scalars(select(JobRun).where(JobRun.job == job)).all())

    with time_machine.travel(start, tick=False) as clock:
        service = service_for(broken)
        service.start()
        clock.move_to(start + dt.timedelta(hours=1, seconds=1))
        wait_for(
            lambda: any(r.status == "failed" for r in runs("market-refresh")),
            "the failed market run",
        )
        clock.move_to(start + dt.timedelta(hours=2, seconds=1))
        wait_for(
            lambda: any(r.status == "succeeded" for r in runs("brief")), "the briefing after it"
        )
    failed = runs("market-refresh")[0]
    assert "missing.csv" in (failed.error or "")
    assert service.scheduler is not None and service.scheduler.running


def test_a_stored_job_whose_function_no_longer_imports_is_reported_not_retried(
    settings: Settings, engine: Engine, service_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = TaskRecorder(monkeypatch)
    hourly = with_schedule(settings, crawl=JobSchedule(every="1h"))
    first = service_for(hourly)
    first.start()
    first.stop()
    with engine.begin() as connection:
        state = pickle.loads(  # noqa: S301 - the row the test's scheduler just wrote
            connection.scalar(text(f"SELECT job_state FROM {JOB_TABLE}"))
        )
        state.update(id="legacy", func="chipwire.pipeline.retired_module:run")
        connection.execute(
            text(
                f"INSERT INTO {JOB_TABLE} (id, next_run_time, job_state) VALUES ('legacy', 0, :s)"
            ),
            {"s": pickle.dumps(state)},
        )
    second = service_for(hourly)
    second.start()  # no crash, no loop: the job is dropped and the failure recorded
    assert {job.id for job in second.scheduler.get_jobs()} == {"crawl"}
    second.stop()
    report = gather_status(hourly)["stages"]["schedule"]["last_failure"]
    assert report is not None and "legacy" in report["error"]
    assert "retired_module" in report["error"]
    assert recorder.count() == 0


def test_a_run_whose_process_died_is_marked_abandoned(settings: Settings, engine: Engine) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    host = socket.gethostname()
    with Session(engine) as session, session.begin():
        session.add(JobRun(job="extract", status="running", pid=gone.pid, host=host))
        session.add(JobRun(job="brief", status="running", pid=os.getpid(), host=host))
        session.add(JobRun(job="crawl", status="running", pid=gone.pid, host="elsewhere"))
    status = gather_status(settings)
    assert [(r["job"], r["status"]) for r in status["abandoned_now"]] == [("extract", "abandoned")]
    assert status["stages"]["extract"]["last_failure"]["status"] == "abandoned"
    assert status["stages"]["brief"]["running"]  # alive: still running
    assert status["stages"]["crawl"]["running"][0]["host"] == "elsewhere"  # can't tell: shown


def test_status_names_an_overdue_briefing(settings: Settings, engine: Engine) -> None:
    weekly = with_schedule(settings, brief=JobSchedule(cron="0 7 * * mon", misfire_grace="3h"))
    monday_noon = dt.datetime(2026, 6, 8, 12, tzinfo=dt.UTC)
    status = gather_status(weekly, now=monday_noon)
    assert [(o["job"], o["due"]) for o in status["overdue"]] == [
        ("brief", "2026-06-08T07:00:00+00:00")
    ]
    with Session(engine) as session, session.begin():
        session.add(
            JobRun(
                job="brief",
                status="succeeded",
                started_at=monday_noon - dt.timedelta(hours=4),
                finished_at=monday_noon - dt.timedelta(hours=4),
            )
        )
    assert gather_status(weekly, now=monday_noon)["overdue"] == []
    assert gather_status(weekly, now=monday_noon - dt.timedelta(hours=3))["overdue"] == []
