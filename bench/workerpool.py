"""The harness of the scale-out benchmarks: a fresh team store, real workers, a timed round.

Workers are started and seen ready (answering the broker) before the clock starts, so
their start-up (imports, pipeline build) is not counted: a team starts its workers once
and keeps them.  The clock stops when the round's ``job_run`` row is closed, which the
round's last task does: the time includes the broker, the claims and every write.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, select, text

from chipwire.models import JobRun
from chipwire.pipeline.config import Settings, load_settings, settings_env
from chipwire.pipeline.db import make_engine, upgrade
from chipwire.pipeline.jobs import seed_job
from chipwire.pipeline.workers.app import make_app
from chipwire.pipeline.workers.enqueue import enqueue

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


@contextmanager
def team_store(pg_server: str, broker: str, data_dir: Path, **options: Any) -> Iterator[Settings]:
    """A new PostgreSQL database (dropped afterwards), migrated and seeded, and an empty
    Redis database as the broker."""
    import redis

    name = f"chipwire_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    redis.Redis.from_url(broker).flushdb()
    settings = load_settings(database_url=url, broker_url=broker, data_dir=data_dir, **options)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    seed_job(settings)
    try:
        yield settings
    finally:
        redis.Redis.from_url(broker).flushdb()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def start_workers(settings: Settings, count: int, queues: str, logs: Path) -> list[Any]:
    """``count`` ``chipwire worker`` processes of one pool process each, ready to work."""
    env = {**os.environ, **settings_env(settings)}
    processes = []
    for number in range(count):
        log = (logs / f"worker-{number}.log").open("ab")
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
                [
                    sys.executable,
                    "-m",
                    "chipwire.pipeline",
                    "worker",
                    "-Q",
                    queues,
                    "-c",
                    "1",
                    "--name",
                    f"bench-{number}-{uuid.uuid4().hex[:4]}@%h",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    app = make_app(settings)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        answers = app.control.inspect(timeout=1.0).active_queues() or {}
        if len(answers) >= count:
            break
    else:
        stop_workers(processes)
        raise RuntimeError(f"{count} worker(s) not ready after 120 s; see {logs}")
    app.close()
    return processes


def stop_workers(processes: list[Any]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def pairwise(rates: dict[int, list[float]]) -> str:
    """The ratio within each repeat's adjacent pair of runs: a shared host's speed drifts
    over minutes, and a pair run back to back sees the same host."""
    ratios = [two / one for one, two in zip(rates[1], rates[2], strict=True)]
    listed = ", ".join(f"{ratio:4.2f}" for ratio in ratios)
    return f"pairwise 2/1: {listed}; median {statistics.median(ratios):4.2f}x"


def server_cpu() -> dict[str, float]:
    """CPU seconds used so far by this host's PostgreSQL and Redis processes (exited
    PostgreSQL backends are counted in their parent's children times), read from /proc:
    on a 2-core host the servers share the workers' cores, and this is their part."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {"postgres": 0.0, "redis": 0.0}
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        for server in used:
            if name.startswith(server):
                used[server] += sum(int(value) for value in fields[11:15]) / tick
    return used


def timed_round(
    settings: Settings, stage: str, job: str, names: list[str] | None = None, timeout: float = 3600
) -> tuple[float, dict[str, Any]]:
    """Enqueue one stage and wait for its round to close: (seconds, the round's counts)."""
    engine = make_engine(settings.url)
    started = time.perf_counter()
    sent = enqueue(settings, stage, names=names or [])
    round_id = sent["round"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            row = connection.execute(
                select(JobRun.status, JobRun.counts).where(JobRun.id == round_id)
            ).one()
        if row.status != "running":
            elapsed = time.perf_counter() - started
            engine.dispose()
            if row.status != "succeeded":
                raise RuntimeError(f"{job} round {round_id} ended {row.status}: {row.counts}")
            return elapsed, row.counts
        time.sleep(0.05)
    engine.dispose()
    raise RuntimeError(f"{job} round {round_id} still running after {timeout:g} s")


def task_rows(settings: Settings, job: str, since_id: int = 0) -> list[dict[str, Any]]:
    """The counts of every task run of ``job`` after ``since_id``."""
    engine = make_engine(settings.url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(JobRun.counts).where(JobRun.job == job, JobRun.id > since_id)
        ).all()
    engine.dispose()
    return [row.counts for row in rows]


def last_run_id(settings: Settings) -> int:
    engine = make_engine(settings.url)
    with engine.connect() as connection:
        value = connection.scalar(select(JobRun.id).order_by(JobRun.id.desc()).limit(1)) or 0
    engine.dispose()
    return value
