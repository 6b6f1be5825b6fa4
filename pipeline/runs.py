"""The record of job runs (``job_run``): opening and closing a run, and telling dead runs apart.

A run is written as 'running' before its work starts, so a process killed mid-run leaves a
trace.  Every run records its pid and host (column defaults), and a 'running' row whose
process is gone is marked 'abandoned' by :func:`reap_abandoned`: otherwise a crash would
look like a job still at work forever, and ``chipwire status`` would lie.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chipwire.models import JobRun, utcnow


class RunCounts(dict[str, Any]):
    """A run's counters, plus the outcome the body may set when it is not plain success.

    A crawl whose sources partly failed returns normally but is 'partial', with the reason.
    """

    status: str = "succeeded"
    error: str | None = None

    def outcome(self, status: str, error: str | None = None) -> None:
        self.status, self.error = status, error


@contextmanager
def recorded(
    factory: sessionmaker[Session], job: str, *, source_id: int | None = None
) -> Iterator[RunCounts]:
    """Record a job run: a 'running' row first (visible if the process dies), then the outcome.

    The body fills the yielded counts; an exception marks the run failed with its message
    and propagates.
    """
    with factory.begin() as session:
        run = JobRun(job=job, source_id=source_id, status="running", counts={})
        session.add(run)
        session.flush()
        run_id = run.id
    counts = RunCounts()
    try:
        yield counts
    except BaseException as exc:
        _finish(factory, run_id, counts, "failed", error_text(exc))
        raise
    _finish(factory, run_id, counts, counts.status, counts.error)


def error_text(exc: BaseException) -> str:
    """The exception as one stored message ("ValueError: ..."), bounded."""
    return "".join(traceback.format_exception_only(exc)).strip()[:4000]


def _finish(
    factory: sessionmaker[Session], run_id: int, counts: RunCounts, status: str, error: str | None
) -> None:
    with factory.begin() as session:
        row = session.get_one(JobRun, run_id)
        row.status, row.finished_at, row.counts = status, utcnow(), dict(counts)
        row.error = error


def process_alive(pid: int) -> bool:
    """Is there a process with this pid on this host?  (Signal 0 checks without sending.)"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it just isn't ours
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed process whose parent died too may linger as a zombie (in a container whose
    init does not reap): it answers signal 0 but will never finish its run."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False  # no /proc (not Linux): trust the signal
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def reap_abandoned(session: Session) -> list[JobRun]:
    """Mark this host's 'running' rows whose process is gone as 'abandoned'; returns them.

    Only this host's rows can be checked: a pid means nothing elsewhere, so another
    host's runs stay 'running' (status shows their host) until that host reaps them.
    """
    host = socket.gethostname()
    rows = session.scalars(
        select(JobRun).where(JobRun.status == "running", JobRun.host == host)
    ).all()
    gone = [row for row in rows if row.pid is None or not process_alive(row.pid)]
    for row in gone:
        row.status, row.finished_at = "abandoned", utcnow()
        row.error = f"process {row.pid} on {host} ended without finishing the run"
    return gone


def fail_process_runs(session: Session, pid: int, error: str) -> list[JobRun]:
    """Close this host's 'running' rows of a process we stopped (a crawl past its time
    limit) as failed with the reason, rather than leaving them to be found abandoned."""
    rows = session.scalars(
        select(JobRun).where(
            JobRun.status == "running", JobRun.pid == pid, JobRun.host == socket.gethostname()
        )
    ).all()
    for row in rows:
        row.status, row.finished_at, row.error = "failed", utcnow(), error[:4000]
    return list(rows)


def child_failed(
    factory: sessionmaker[Session], job: str, pid: int, error: str, started: dt.datetime
) -> None:
    """A child that timed out or crashed: close its runs as failed with the reason, or record
    one failed run of ``job`` if it wrote none.

    The child's whole-job row is failed even if the child closed it itself: on our SIGTERM
    a crawl shuts down gracefully and may record what it had done as a success, but the
    job was stopped before it finished."""
    with factory.begin() as session:
        fail_process_runs(session, pid, error)
        wrote = session.scalars(
            select(JobRun).where(
                JobRun.pid == pid,
                JobRun.job == job,
                JobRun.source_id.is_(None),
                JobRun.started_at >= started,  # a pid is reused over the years
            )
        ).all()
        for row in wrote:
            if row.status != "failed" or row.error != error[:4000]:
                recorded_as = f" (it had recorded: {row.status}" + (
                    f", {row.error})" if row.error else ")"
                )
                row.status, row.error = "failed", (error + recorded_as)[:4000]
                row.finished_at = row.finished_at or utcnow()
        if not wrote:
            now = utcnow()
            session.add(
                JobRun(
                    job=job,
                    status="failed",
                    error=error,
                    counts={},
                    started_at=now,
                    finished_at=now,
                )
            )
