"""A round: the tasks one scheduled job fans out into, tracked in one ``job_run`` row.

Celery can chain tasks only through a result backend; chipwire already has a store, so a
round is a 'running' row whose counts list the tasks done.  The task that completes the
round closes the row (succeeded, partial or failed) and starts what follows: extraction
after the crawl round, the market analysis after the price batches.  Every update takes
the row's lock first, so two workers finishing at once cannot lose one another's task.

A redelivered task is recognised by its index: it is not counted twice, and one that
keeps killing its worker is given up after ``MAX_ATTEMPTS`` instead of looping forever.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from chipwire.models import JobRun, utcnow

MAX_ATTEMPTS = 3
# Round rows belong to no process: the host marker keeps reap_abandoned (which checks
# pids of its own host's rows) away from a round whose enqueuing scheduler has exited.
ROUND_HOST = "(workers)"


@dataclass(frozen=True)
class Step:
    """One task of a round: which round, which task of it."""

    round_id: int
    index: int


def open_round(factory: sessionmaker[Session], job: str, tasks: int, **info: Any) -> int:
    """Record a round of ``tasks`` tasks; a round of none is finished at once."""
    now = utcnow()
    counts = {"tasks": tasks, "done": [], "failed": {}, "attempts": {}, "totals": {}, **info}
    with factory.begin() as session:
        run = JobRun(job=job, status="running", counts=counts, pid=None, host=ROUND_HOST)
        if tasks == 0:
            run.status, run.finished_at = "succeeded", now
        session.add(run)
        session.flush()
        # the column default filled in this process's pid: a round has no process
        session.execute(update(JobRun).where(JobRun.id == run.id).values(pid=None))
        return run.id


def _locked(session: Session, round_id: int) -> JobRun:
    # a no-op update takes the row's write lock (PostgreSQL) or the database's (SQLite)
    # before the read, so the read-modify-write below is not interleaved with another's
    session.execute(update(JobRun).where(JobRun.id == round_id).values(counts=JobRun.counts))
    return session.get_one(JobRun, round_id, populate_existing=True)


def begin_step(factory: sessionmaker[Session], step: Step) -> int:
    """Count an attempt at this task; returns which attempt this is (1 = first delivery)."""
    with factory.begin() as session:
        run = _locked(session, step.round_id)
        counts = dict(run.counts)
        attempts = dict(counts.get("attempts", {}))
        attempts[str(step.index)] = attempts.get(str(step.index), 0) + 1
        counts["attempts"] = attempts
        run.counts = counts
        return attempts[str(step.index)]


def finish_step(
    factory: sessionmaker[Session],
    step: Step,
    counts: Mapping[str, Any],
    error: str | None = None,
) -> bool:
    """Record a task's outcome in its round; True when the round is now complete."""
    with factory.begin() as session:
        run = _locked(session, step.round_id)
        totals = dict(run.counts)
        done = set(totals.get("done", []))
        if step.index not in done:
            done.add(step.index)
            summed = dict(totals.get("totals", {}))
            for key, value in counts.items():
                if isinstance(value, int) and not isinstance(value, bool):
                    summed[key] = summed.get(key, 0) + value
            totals["totals"] = summed
            if error is not None:
                totals["failed"] = {**totals.get("failed", {}), str(step.index): error[:500]}
        totals["done"] = sorted(done)
        complete = len(done) >= int(totals["tasks"])
        if complete and run.status == "running":
            failed = len(totals.get("failed", {}))
            if failed == 0:
                run.status = "succeeded"
            else:
                run.status = "failed" if failed == int(totals["tasks"]) else "partial"
                run.error = f"{failed} of {totals['tasks']} tasks failed"
            run.finished_at = utcnow()
        run.counts = totals
        return complete
