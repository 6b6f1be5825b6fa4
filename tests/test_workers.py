"""Scale-out on real PostgreSQL and Redis: worker processes sharing the extraction, a worker
killed mid-batch, the scheduler only enqueueing, and status reading the broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from chipwire.models import Article, Benchmark, DealSource, JobRun, Mention
from chipwire.pipeline.config import Settings, load_settings, settings_env
from chipwire.pipeline.db import make_engine, upgrade
from chipwire.pipeline.jobs import extract_job, seed_job
from chipwire.pipeline.schedule import tasks as scheduled
from chipwire.pipeline.status import gather_status
from chipwire.pipeline.workers.app import make_app
from chipwire.pipeline.workers.monitor import queue_depths
from tests.scheduling import wait_for
from tests.workers_support import (
    fresh_broker,
    generate_articles,
    rabbitmq_server,
    redis_server,
    start_worker,
    stop_worker,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def broker_url() -> Iterator[str]:
    yield from fresh_broker(redis_server())


@pytest.fixture
def team(pg_url: str, broker_url: str, tmp_path: Path) -> Settings:
    """A team installation: PostgreSQL store, Redis broker, seeded registry."""
    settings = load_settings(
        database_url=pg_url, broker_url=broker_url, data_dir=tmp_path / "data", extract_batch=50
    )
    engine = make_engine(settings.url)
    upgrade(engine)
    engine.dispose()
    seed_job(settings)
    return settings


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        stop_worker(process)


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **settings_env(settings)}
    return subprocess.run(
        [sys.executable, "-m", "chipwire.pipeline", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def fact_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            model.__tablename__: connection.scalar(select(func.count()).select_from(model)) or 0
            for model in (Mention, DealSource, Benchmark)
        }


def batch_runs(engine: Engine) -> list[JobRun]:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return list(session.scalars(select(JobRun).where(JobRun.job == "extract-batch")))


def pending(engine: Engine) -> int:
    with engine.connect() as connection:
        return (
            connection.scalar(
                select(func.count()).select_from(Article).where(Article.extracted_at.is_(None))
            )
            or 0
        )


def reference_counts(tmp_path: Path, count: int, seed: int, sentences: int = 12) -> dict[str, int]:
    """The same articles extracted in-process, one pass, in a SQLite store of their own."""
    settings = load_settings(data_dir=tmp_path / f"reference-{seed}")
    engine = make_engine(settings.url)
    upgrade(engine)
    seed_job(settings)
    generate_articles(engine, count, seed=seed, sentences=sentences)
    extract_job(settings, show_progress=False)
    counts = fact_counts(engine)
    engine.dispose()
    return counts


def round_done(engine: Engine, job: str) -> bool:
    with engine.connect() as connection:
        status = connection.scalar(
            select(JobRun.status).where(JobRun.job == job).order_by(JobRun.id.desc()).limit(1)
        )
    return status not in (None, "running")


def test_two_workers_extract_each_article_exactly_once(
    team: Settings, workers: list[Any], tmp_path: Path
) -> None:
    engine = make_engine(team.url)
    generate_articles(engine, 2000, seed=11)
    workers += [start_worker(team, "extract", tmp_path / f"worker{i}.log") for i in range(2)]

    sent = cli(team, "enqueue", "extract")
    assert sent.returncode == 0, sent.stderr
    assert "40 task(s) sent" in sent.stdout

    wait_for(lambda: round_done(engine, "extract-round"), "the extraction round", timeout=600)
    runs = batch_runs(engine)
    assert pending(engine) == 0
    # every article extracted, and the batches together processed 2,000: none twice
    assert sum(run.counts["articles"] for run in runs) == 2000
    assert all(run.status == "succeeded" and run.counts["lost"] == 0 for run in runs)
    # both workers took part: the batch runs come from two hosts' processes
    assert len({run.pid for run in runs}) == 2
    with engine.connect() as connection:
        assert (
            connection.scalar(select(func.count()).where(Article.extract_claim.is_not(None))) == 0
        )
    assert fact_counts(engine) == reference_counts(tmp_path, 2000, seed=11)
    engine.dispose()


def test_worker_killed_mid_batch_has_its_batch_finished_without_duplicates(
    team: Settings, workers: list[Any], tmp_path: Path
) -> None:
    engine = make_engine(team.url)
    generate_articles(engine, 200, seed=23, sentences=60)  # long enough to be caught midway
    # one worker process: the killed batch must come back to a new pool process
    workers.append(start_worker(team, "extract", tmp_path / "worker.log"))
    assert cli(team, "enqueue", "extract").returncode == 0

    def midway() -> tuple[str, int] | None:
        """(claim, pid) of the batch being worked on, once it is partly done."""
        with engine.connect() as connection:
            held = connection.execute(
                select(Article.extract_claim, func.count())
                .where(Article.extract_claim.is_not(None))
                .group_by(Article.extract_claim)
            ).all()
            pid = connection.scalar(
                select(JobRun.pid).where(JobRun.job == "extract-batch", JobRun.status == "running")
            )
        partly = [claim for claim, left in held if 10 <= left <= 40]
        return (partly[0], pid) if len(held) == 1 and partly and pid else None

    seen: list[tuple[str, int]] = []
    wait_for(lambda: bool((found := midway()) and not seen.append(found)), "a batch half done", 120)
    claim, pid = seen[0]
    os.kill(pid, signal.SIGKILL)

    wait_for(lambda: round_done(engine, "extract-round"), "the extraction round", timeout=300)
    assert pending(engine) == 0
    runs = batch_runs(engine)
    resumed = [r for r in runs if r.status == "succeeded" and r.counts["claim"] == claim]
    assert len(resumed) == 1, "the killed batch was delivered again and finished"
    # it took back only what the killed process had not finished, and lost nothing
    assert 0 < resumed[0].counts["claimed"] <= 40
    assert sum(r.counts["articles"] for r in runs if r.status == "succeeded") < 200
    assert fact_counts(engine) == reference_counts(tmp_path, 200, seed=23, sentences=60)
    # the killed process's run is found dead by status, not left 'running'
    status = gather_status(team)
    assert any(run["pid"] == pid for run in status["abandoned_now"])
    engine.dispose()


def test_scheduler_with_a_broker_only_enqueues(team: Settings) -> None:
    """The leader's crawl is one task per enabled source on the crawl queue; nothing runs."""
    from chipwire.spiders.runtime import select_sources

    scheduled.bind(team)
    try:
        sent = scheduled.run("crawl")["enqueued"]
        brief = scheduled.run("brief")["enqueued"]
    finally:
        scheduled.bind(None)
    sources = select_sources(team, [], [])
    assert sent["tasks"] == len(sources) > 0
    assert brief["tasks"] == 1
    app = make_app(team)
    depths = queue_depths(app)
    app.close()
    assert depths["crawl"] == len(sources)
    assert depths["brief"] == 1
    engine = make_engine(team.url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Article)) == 0
        round_status = connection.scalar(select(JobRun.status).where(JobRun.id == sent["round"]))
    assert round_status == "running"
    engine.dispose()


def test_status_shows_queue_depths_and_live_workers(
    team: Settings, workers: list[Any], tmp_path: Path
) -> None:
    workers.append(start_worker(team, "market,brief", tmp_path / "worker.log"))
    app = make_app(team)
    for _ in range(3):
        app.send_task("chipwire.extract_batch", args=[0, 0])  # no extract worker: they wait
    app.close()

    def seen() -> dict[str, Any] | None:
        broker = gather_status(team)["broker"]
        return broker if broker["workers"] else None

    wait_for(lambda: seen() is not None, "the worker to answer", timeout=60)
    broker = seen()
    assert broker is not None and broker["error"] is None
    assert broker["queues"]["extract"] == 3
    assert list(broker["workers"].values()) == [["brief", "market"]]
    shown = cli(team, "status")
    assert "extract 3" in shown.stdout
    assert "worker test-" in shown.stdout


def test_status_reports_an_unreachable_broker(pg_url: str, tmp_path: Path) -> None:
    settings = load_settings(
        database_url=pg_url, broker_url="redis://127.0.0.1:9/0", data_dir=tmp_path / "d"
    )
    engine = make_engine(settings.url)
    upgrade(engine)
    engine.dispose()
    broker = gather_status(settings)["broker"]
    assert broker["error"] is not None and "unreachable" in broker["error"]


def test_a_whole_worker_host_lost_mid_batch_is_covered_by_another_worker(
    pg_url: str, broker_url: str, workers: list[Any], tmp_path: Path
) -> None:
    """The worker and its pool SIGKILLed together (a lost host): nobody rejects the task,
    so the broker hands it over once the visibility timeout has passed."""
    settings = load_settings(
        database_url=pg_url,
        broker_url=broker_url,
        data_dir=tmp_path / "data",
        extract_batch=50,
        task_visibility_timeout=10,
    )
    engine = make_engine(settings.url)
    upgrade(engine)
    seed_job(settings)
    generate_articles(engine, 150, seed=31, sentences=60)
    lost = start_worker(settings, "extract", tmp_path / "lost.log")
    assert cli(settings, "enqueue", "extract").returncode == 0

    def extracted() -> int:
        with engine.connect() as connection:
            return (
                connection.scalar(select(func.count()).where(Article.extracted_at.is_not(None)))
                or 0
            )

    wait_for(lambda: 5 <= extracted() < 50, "the first batch under way", timeout=120)
    os.killpg(lost.pid, signal.SIGKILL)
    lost.wait(10)
    workers.append(start_worker(settings, "extract", tmp_path / "rescue.log"))

    wait_for(lambda: round_done(engine, "extract-round"), "the extraction round", timeout=180)
    assert pending(engine) == 0
    runs = [r for r in batch_runs(engine) if r.status == "succeeded"]
    assert len(runs) == 3  # the lost batch finished once, by the rescuer
    # the rescuer, starting on the same host, found the lost process's run and closed it
    assert [r.status for r in batch_runs(engine) if r.status != "succeeded"] == ["abandoned"]
    assert sum(r.counts["articles"] for r in runs) < 150  # what the lost worker saved stays
    assert fact_counts(engine) == reference_counts(tmp_path, 150, seed=31, sentences=60)
    engine.dispose()


def test_the_chain_on_workers_crawl_then_extract_then_prices_then_analysis(
    pg_url: str, broker_url: str, workers: list[Any], tmp_path: Path
) -> None:
    """A crawl round on the sample site starts the extraction round by itself; a price
    round ends with the analysis; each stage on its own queue and worker."""
    from chipwire.pipeline.jobs import SAMPLE_PRICES
    from chipwire.spiders.samplesite import SampleSite

    with SampleSite() as site:
        settings = load_settings(
            database_url=pg_url,
            broker_url=broker_url,
            data_dir=tmp_path / "data",
            sources_path=site.write_sources(tmp_path / "sources"),
            prices_csv=SAMPLE_PRICES,
            market_batch=4,
        )
        engine = make_engine(settings.url)
        upgrade(engine)
        seed_job(settings)
        workers.append(start_worker(settings, "crawl", tmp_path / "crawl.log"))
        workers.append(start_worker(settings, "extract,market,brief", tmp_path / "rest.log"))
        crawl = cli(settings, "enqueue", "crawl")
        market = cli(settings, "enqueue", "market")
        assert crawl.returncode == 0 and market.returncode == 0, crawl.stderr + market.stderr
        wait_for(lambda: round_done(engine, "crawl-round"), "the crawl round", timeout=300)
        wait_for(lambda: round_done(engine, "extract-round"), "the extraction round", 300)
        wait_for(lambda: round_done(engine, "market-round"), "the price round", timeout=300)
        wait_for(lambda: round_done(engine, "market-analyse"), "the analysis", timeout=300)

    from sqlalchemy.orm import Session

    with Session(engine) as session:
        rounds = {
            run.job: run
            for run in session.scalars(select(JobRun).where(JobRun.job.like("%-round")))
        }
        crawled = session.scalar(select(func.count()).select_from(Article))
        originals = session.scalar(
            select(func.count()).where(Article.duplicate_of_id.is_(None))
        )  # a syndicated copy's facts are its original's
        unextracted = session.scalar(
            select(func.count()).where(
                Article.duplicate_of_id.is_(None), Article.extracted_at.is_(None)
            )
        )
        sources = session.scalars(
            select(JobRun).where(JobRun.job == "crawl", JobRun.source_id.is_not(None))
        ).all()
        analysis = session.scalars(select(JobRun).where(JobRun.job == "market-analyse")).all()
    assert crawled and crawled > 10
    assert rounds["crawl-round"].status == "succeeded"
    assert rounds["crawl-round"].counts["tasks"] == len(sources)  # one task per source
    assert rounds["extract-round"].status == "succeeded"
    assert rounds["extract-round"].counts["totals"]["articles"] == originals
    assert unextracted == 0
    assert rounds["market-round"].status == "succeeded"
    assert rounds["market-round"].counts["tasks"] > 1  # symbols in batches of four
    assert [run.status for run in analysis] == ["succeeded"]
    engine.dispose()


def test_workers_through_rabbitmq(pg_url: str, workers: list[Any], tmp_path: Path) -> None:
    """The other broker a team may run: same tasks, same guarantees, queues read over AMQP."""
    url = rabbitmq_server()
    settings = load_settings(
        database_url=pg_url, broker_url=url, data_dir=tmp_path / "data", extract_batch=40
    )
    app = make_app(settings)
    with app.connection_for_write() as connection:  # queues left by an earlier run: emptied
        for queue in ("crawl", "extract", "market", "brief", "backfill"):
            channel = connection.channel()
            channel.queue_declare(queue=queue, durable=True, auto_delete=False)
            channel.queue_purge(queue)
            channel.close()
    app.close()
    engine = make_engine(settings.url)
    upgrade(engine)
    seed_job(settings)
    generate_articles(engine, 300, seed=41)
    workers += [start_worker(settings, "extract", tmp_path / f"w{i}.log") for i in range(2)]
    assert cli(settings, "enqueue", "extract").returncode == 0
    wait_for(lambda: round_done(engine, "extract-round"), "the extraction round", timeout=300)
    assert pending(engine) == 0
    assert sum(run.counts["articles"] for run in batch_runs(engine)) == 300
    broker = gather_status(settings)["broker"]
    assert broker["error"] is None and broker["queues"]["extract"] == 0
    assert len(broker["workers"]) == 2
    engine.dispose()


def test_a_backfill_on_workers_is_one_task_per_file_then_extraction(
    team: Settings, workers: list[Any], tmp_path: Path
) -> None:
    from tests.test_backfill import file_runs
    from tests.warc_files import WarcBuilder, full_archive

    engine = make_engine(team.url)
    first = full_archive().write(tmp_path / "one.warc.gz", cut=300)
    second = WarcBuilder().story("https://other.example.test/dm", "dmatrix-funding")
    files = [str(first), str(second.write(tmp_path / "two.warc.gz"))]
    workers.append(start_worker(team, "backfill,extract", tmp_path / "worker.log"))
    sent = cli(team, "enqueue", "backfill", *files)
    assert sent.returncode == 0 and "2 task(s) sent" in sent.stdout, sent.stderr
    wait_for(lambda: round_done(engine, "backfill-round"), "the backfill round", timeout=300)
    wait_for(lambda: round_done(engine, "extract-round"), "the extraction round", timeout=300)
    runs = {run.counts["file"]: run.status for run in file_runs(engine)}
    assert runs == {files[0]: "partial", files[1]: "succeeded"}
    assert pending(engine) == 0
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Article)) == 3
    engine.dispose()
