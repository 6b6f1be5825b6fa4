"""`chipwire schedule run` driving the real chain on the bundled sample site.

A week on time-machine's clock: the scheduler process is this test's (the CLI in the main
thread, so its signal handling is the real one), a driver thread moves the clock to each
due time and waits for the stage to be recorded, then sends SIGTERM.  Crawls run in child
processes against the sample site on 127.0.0.1 under the real clock; that is the point.
The second test kills a scheduler mid-crawl and restarts it, as a power cut would.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from chipwire.models import Article, JobRun, Mention
from chipwire.pipeline.cli import app
from chipwire.pipeline.db import make_engine
from chipwire.pipeline.jobs import SAMPLE_PRICES
from chipwire.spiders.samplesite import SampleSite
from tests.scheduling import wait_for

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def write_config(path: Path, sources: Path, schedule: str, **extra: str) -> Path:
    lines = [
        'data_dir = "data"',
        f'sources_path = "{sources}"',
        f'prices_csv = "{SAMPLE_PRICES}"',
        'timezone = "Europe/London"',
        *(f'{key} = "{value}"' for key, value in extra.items()),
        schedule,
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def runs(engine: Engine, job: str) -> list[JobRun]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(JobRun)
                .where(JobRun.job == job, JobRun.source_id.is_(None))
                .order_by(JobRun.id)
            )
        )


def finished(engine: Engine, job: str, count: int) -> Callable[[], bool]:
    def check() -> bool:
        done = [r for r in runs(engine, job) if r.status != "running"]
        return len(done) >= count

    return check


WEEK = """
[schedule.crawl]
every = "1d"
misfire_grace = "1h"

[schedule.market]
cron = "30 16 * * mon-fri"
timezone = "America/New_York"

[schedule.brief]
cron = "0 7 * * mon"
"""


def test_schedule_run_drives_every_stage_on_time_through_a_week(tmp_path: Path) -> None:
    runner = CliRunner()
    monday = dt.datetime(2026, 3, 16, 0, 0, tzinfo=LONDON)  # the sample site's week, W12
    with SampleSite() as site:
        sources = site.write_sources(tmp_path / "sources")
        config = write_config(tmp_path / "chipwire.toml", sources, WEEK)
        for command in (["db", "upgrade"], ["db", "seed"]):
            assert runner.invoke(app, ["--config", str(config), *command]).exit_code == 0
        engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'chipwire.db'}")
        crawls = [monday + dt.timedelta(days=d) for d in range(1, 8)]  # every 1d from start
        markets = [
            dt.datetime(2026, 3, d, 16, 30, tzinfo=NEW_YORK) for d in range(16, 21)
        ]  # weekdays after the New York close (EDT already, London still on GMT)
        briefs = [dt.datetime(2026, 3, 23, 7, 0, tzinfo=LONDON)]
        plan = sorted(
            [(t, "crawl") for t in crawls]
            + [(t, "market-refresh") for t in markets]
            + [(t, "brief") for t in briefs]
        )
        problems: list[BaseException] = []

        with time_machine.travel(monday, tick=False) as clock:

            def drive() -> None:
                try:
                    wait_for(lambda: _jobs_stored(engine) == 3, "the scheduler to start")
                    seen = {"crawl": 0, "market-refresh": 0, "brief": 0}
                    for moment, job in plan:
                        clock.move_to(moment + dt.timedelta(seconds=1))
                        seen[job] += 1
                        wait_for(finished(engine, job, seen[job]), f"{job} at {moment}", 120)
                        if job == "crawl":  # extraction follows each crawl in the same task
                            wait_for(finished(engine, "extract", seen[job]), f"extract {moment}")
                except BaseException as exc:
                    problems.append(exc)
                finally:
                    os.kill(os.getpid(), signal.SIGTERM)

            driver = threading.Thread(target=drive)
            driver.start()
            result = runner.invoke(app, ["--config", str(config), "schedule", "run"])
            driver.join()
            status = runner.invoke(app, ["--config", str(config), "status", "--json"])

    assert not problems, problems
    assert result.exit_code == 0, result.output
    assert "scheduler stopped" in result.output
    # the crawls ran in child processes, on the real clock: their rows say so
    assert [r.status for r in runs(engine, "crawl")] == ["succeeded"] * len(crawls)
    # everything this process ran started at its due time: the clock stood one second
    # past it while the stage ran (extraction follows each crawl within the same task)
    for job, times in (("extract", crawls), ("market-refresh", markets), ("brief", briefs)):
        rows = runs(engine, job)
        assert [r.status for r in rows] == ["succeeded"] * len(times), [r.error for r in rows]
        assert [r.started_at.astimezone(dt.UTC) for r in rows] == [
            t.astimezone(dt.UTC) + dt.timedelta(seconds=1) for t in times
        ]
    with Session(engine) as session:
        articles = session.scalar(select(func.count()).select_from(Article))
        assert articles and articles >= 20
        assert session.scalar(select(func.count(func.distinct(Article.url)))) == articles
    first, *later = runs(engine, "crawl")
    assert first.counts["stored"] == articles and all(r.counts["stored"] == 0 for r in later)
    assert (tmp_path / "data" / "briefings" / "2026-W12.html").is_file()
    report = json.loads(status.output)
    assert report["overdue"] == [] and report["scheduler"]["holder"] is None
    assert report["freshness"]["newest_price_date"] is not None
    engine.dispose()


def _jobs_stored(engine: Engine) -> int:
    from sqlalchemy import inspect, text

    if not inspect(engine).has_table("apscheduler_jobs"):
        return 0
    with engine.connect() as connection:
        return connection.scalar(text("SELECT count(*) FROM apscheduler_jobs")) or 0


EVERY_FEW_SECONDS = """
[schedule.crawl]
every = "3s"
misfire_grace = "1h"

[schedule.market]
enabled = false
cron = "0 0 * * *"

[schedule.brief]
enabled = false
cron = "0 0 * * *"
"""


def _scheduler(config: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "chipwire.pipeline", "--config", str(config), "schedule", "run"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if not k.startswith("CHIPWIRE_")},
        )


def test_a_scheduler_killed_mid_crawl_and_restarted_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    with SampleSite() as site:
        sources = site.write_sources(tmp_path / "sources")
        config = write_config(tmp_path / "chipwire.toml", sources, EVERY_FEW_SECONDS)
        for command in (["db", "upgrade"], ["db", "seed"]):
            assert runner.invoke(app, ["--config", str(config), *command]).exit_code == 0
        engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'chipwire.db'}")
        log = tmp_path / "scheduler.log"
        first = _scheduler(config, log)
        try:
            wait_for(
                lambda: any(r.status == "running" for r in runs(engine, "crawl")), "a crawl", 90
            )
            # a power cut: the scheduler and its crawl child (which writes the crawl's
            # rows) die at once, mid-crawl
            killed = next(r for r in runs(engine, "crawl") if r.status == "running")
            first.kill()
            first.wait()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(killed.pid, signal.SIGKILL)
            with Session(engine) as session:  # as the dead process left it
                assert session.get_one(JobRun, killed.id).status == "running"
            second = _scheduler(config, log)
            try:
                wait_for(
                    lambda: any(r.status == "succeeded" for r in runs(engine, "extract")),
                    "a crawl and extraction after the restart",
                    120,
                )
            finally:
                second.send_signal(signal.SIGTERM)
                assert second.wait(timeout=120) == 0, log.read_text(errors="replace")
        finally:
            if first.poll() is None:
                first.kill()
    with Session(engine) as session:
        assert session.get_one(JobRun, killed.id).status == "abandoned"
        urls = session.scalar(select(func.count(func.distinct(Article.url))))
        articles = session.scalar(select(func.count()).select_from(Article))
        mentions = session.scalar(select(func.count()).select_from(Mention))
        unextracted = session.scalar(
            select(func.count())
            .select_from(Article)
            .where(Article.extracted_at.is_(None), Article.duplicate_of_id.is_(None))
        )
    assert articles == urls and articles >= 20  # everything stored, nothing twice
    assert unextracted == 0  # (a duplicate is linked to its original, not extracted)
    again = runner.invoke(app, ["--config", str(config), "extract"])
    assert again.exit_code == 0, again.output
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Mention)) == mentions
    engine.dispose()
