"""Operator commands on the bundled sample site: `chipwire run`, `chipwire status`, a crawl
that outlives its time limit, and the log file."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

import pytest
from scrapy.crawler import CrawlerProcess
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from chipwire.models import JobRun, utcnow
from chipwire.pipeline.cli import app
from chipwire.pipeline.config import load_settings
from chipwire.pipeline.crawlproc import CrawlProcessError
from chipwire.pipeline.db import make_engine, session_factory, upgrade
from chipwire.pipeline.jobs import crawl_job
from chipwire.pipeline.logs import log_path, start_logging, stop_logging
from chipwire.pipeline.runs import child_failed
from chipwire.spiders.samplesite import SampleSite
from tests.scheduling import wait_for
from tests.test_crawl_truthful import SilentServer
from tests.test_schedule_chain import write_config

SCHEDULE = '[schedule.crawl]\nevery = "2h"\n'


def invoke(config: Path, *args: str) -> object:
    return CliRunner().invoke(app, ["--config", str(config), *args], env={"COLUMNS": "80"})


def runs(tmp_path: Path, job: str) -> list[JobRun]:
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'chipwire.db'}")
    with Session(engine) as session:
        rows = list(
            session.scalars(select(JobRun).where(JobRun.job == job, JobRun.source_id.is_(None)))
        )
    engine.dispose()
    return rows


def test_run_does_the_whole_chain_then_reports_a_failing_stage_and_goes_on(
    tmp_path: Path,
) -> None:
    with SampleSite() as site:
        sources = site.write_sources(tmp_path / "sources")
        # a configured source nobody ever crawls: `status` must call it silent
        (tmp_path / "sources" / "never-crawled.toml").write_text(
            'kind = "rss"\nurl = "http://127.0.0.1:9/feed.xml"\nenabled = false\n',
            encoding="utf-8",
        )
        config = write_config(tmp_path / "chipwire.toml", sources, SCHEDULE)
        assert invoke(config, "db", "upgrade").exit_code == 0
        assert invoke(config, "db", "seed").exit_code == 0
        done = invoke(config, "run")
    assert done.exit_code == 0, done.output
    table = done.output[done.output.index("chipwire run") :]
    for stage in ("crawl", "extract", "market", "brief"):
        assert f"{stage}" in table and "FAILED" not in table
    for job in ("crawl", "extract", "market-refresh", "brief"):
        assert [r.status for r in runs(tmp_path, job)] == ["succeeded"], job
    assert list((tmp_path / "data" / "briefings").glob("20*.html"))
    assert "task" not in done.output  # the log went to the file, not the table
    assert (tmp_path / "data" / "logs" / "chipwire.log").is_file()

    # the prices file goes missing: market fails, naming it, and the briefing still runs
    broken = tmp_path / "broken.toml"
    broken.write_text(
        "\n".join(
            f'prices_csv = "{tmp_path / "gone.csv"}"' if line.startswith("prices_csv") else line
            for line in config.read_text(encoding="utf-8").splitlines()
        ),
        encoding="utf-8",
    )
    failed = invoke(broken, "run", "--skip", "crawl")
    assert failed.exit_code == 1
    market_row = next(line for line in failed.output.splitlines() if "│ market" in line)
    assert "FAILED" in market_row
    assert "gone.csv" in (runs(tmp_path, "market-refresh")[-1].error or "")
    assert [r.status for r in runs(tmp_path, "market-refresh")] == ["succeeded", "failed"]
    assert [r.status for r in runs(tmp_path, "brief")] == ["succeeded", "succeeded"]
    assert len(runs(tmp_path, "crawl")) == 1  # skipped

    status = invoke(config, "status", "--json")
    assert status.exit_code == 0, status.output
    report = json.loads(status.output)
    assert report["stages"]["crawl"]["last_success"] is not None
    assert "gone.csv" in report["stages"]["market-refresh"]["last_failure"]["error"]
    assert report["freshness"]["articles"] > 0
    table = invoke(config, "status")
    assert table.exit_code == 0 and "market-refresh" in table.output


def test_run_refuses_an_unknown_stage_in_one_line(tmp_path: Path) -> None:
    config = write_config(tmp_path / "chipwire.toml", tmp_path, SCHEDULE)
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'chipwire.db'}")
    upgrade(engine)
    engine.dispose()
    result = invoke(config, "run", "--skip", "crawll")
    assert result.exit_code == 1
    assert "unknown stage(s) crawll" in result.output


def test_a_crawl_past_its_time_limit_is_stopped_and_recorded_as_failed(tmp_path: Path) -> None:
    server = SilentServer()
    try:
        sources = tmp_path / "sources"
        sources.mkdir()
        (sources / "hung.toml").write_text(
            f'kind = "rss"\nurl = "{server.url("/feed.xml")}"\n', encoding="utf-8"
        )
        settings = load_settings(data_dir=tmp_path / "data", sources_path=sources)
        engine = make_engine(settings.url)
        upgrade(engine)
        with pytest.raises(CrawlProcessError, match="timed out after 3 s") as caught:
            crawl_job(
                settings,
                isolated=True,
                timeout=3,
                overrides={"DOWNLOAD_TIMEOUT": 120, "ROBOTSTXT_OBEY": False},
            )
    finally:
        server.close()
    with Session(engine) as session:
        rows = list(session.scalars(select(JobRun)))
    engine.dispose()
    assert rows and all(r.status != "running" for r in rows)
    whole = [r for r in rows if r.job == "crawl" and r.source_id is None]
    assert len(whole) == 1 and whole[0].status == "failed" and "timed out" in whole[0].error

    def gone() -> bool:
        try:
            os.kill(caught.value.pid, 0)
        except ProcessLookupError:
            return True
        return Path(f"/proc/{caught.value.pid}/stat").read_text().split(")")[-1].split()[0] == "Z"

    wait_for(gone, "the stopped crawl process to be gone", 20)


def test_logging_twice_writes_each_line_once_and_stops_cleanly(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    start_logging(settings, stderr=False)
    start_logging(settings, stderr=False)
    logging.getLogger("chipwire.test").warning("one line, once")
    stop_logging()
    logging.getLogger("chipwire.test").warning("after stop: not in the file")
    text = log_path(settings).read_text(encoding="utf-8")
    assert text.count("one line, once") == 1
    assert "after stop" not in text


def test_a_stopped_childs_whole_run_is_failed_even_if_it_closed_it_itself(tmp_path: Path) -> None:
    """On SIGTERM a crawl shuts down gracefully and may close its row as a success; the
    parent that stopped it knows better.  An older row of a reused pid is left alone."""
    settings = load_settings(data_dir=tmp_path / "data")
    engine = make_engine(settings.url)
    upgrade(engine)
    factory = session_factory(engine)
    child = 999_999
    with factory.begin() as session:
        session.add(JobRun(job="crawl", status="succeeded", pid=child, counts={}))
    started = utcnow() + dt.timedelta(seconds=1)  # the older row predates this child
    with factory.begin() as session:
        session.add_all(
            [
                JobRun(job="crawl", status="succeeded", pid=child, counts={}, started_at=started),
                JobRun(job="extract", status="succeeded", pid=child, counts={}, started_at=started),
            ]
        )
    child_failed(factory, "crawl", child, "crawl timed out after 3 s", started)
    with Session(engine) as session:
        rows = list(session.scalars(select(JobRun).order_by(JobRun.id)))
    engine.dispose()
    assert [(r.job, r.status) for r in rows] == [
        ("crawl", "succeeded"),
        ("crawl", "failed"),
        ("extract", "succeeded"),
    ]
    assert rows[1].error == "crawl timed out after 3 s (it had recorded: succeeded)"


def test_a_child_that_wrote_nothing_gets_one_failed_run(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    engine = make_engine(settings.url)
    upgrade(engine)
    factory = session_factory(engine)
    child_failed(factory, "backfill", 999_998, "backfill timed out after 5 s", utcnow())
    with Session(engine) as session:
        rows = list(session.scalars(select(JobRun)))
    engine.dispose()
    assert [(r.job, r.status, r.error) for r in rows] == [
        ("backfill", "failed", "backfill timed out after 5 s")
    ]


def test_a_crawl_stopped_before_its_spiders_opened_fails_each_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signal that lands before any spider opens ends the reactor with no source rows:
    each chosen source is reported not crawled, so the crawl is not a silent success."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("one", "two"):
        (sources / f"{name}.toml").write_text(
            f'kind = "rss"\nurl = "http://127.0.0.1:9/{name}.xml"\n', encoding="utf-8"
        )
    settings = load_settings(data_dir=tmp_path / "data", sources_path=sources)
    engine = make_engine(settings.url)
    upgrade(engine)
    engine.dispose()
    monkeypatch.setattr(CrawlerProcess, "crawl", lambda self, *args, **kwargs: None)
    monkeypatch.setattr(CrawlerProcess, "start", lambda self, *args, **kwargs: None)
    results = crawl_job(settings)
    assert [(r.source, r.status) for r in results] == [("one", "failed"), ("two", "failed")]
    assert all("stopped before it started" in (r.error or "") for r in results)
    engine = make_engine(settings.url)
    with Session(engine) as session:
        whole = session.scalars(select(JobRun).where(JobRun.source_id.is_(None))).one()
    engine.dispose()
    assert whole.status == "failed" and "2 of 2 sources" in (whole.error or "")
