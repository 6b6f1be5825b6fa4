"""The scheduler process: APScheduler's BackgroundScheduler on the store, one per store.

Jobs live in the store's ``apscheduler_jobs`` table (APScheduler's SQLAlchemy job store),
so a restart resumes the same schedule: a run missed while the scheduler was down fires
once (``coalesce``) if it is within its misfire grace.  Jobs run one at a time (a single
worker thread), so a crawl's extraction never races the briefing for the SQLite writer;
``max_instances=1`` keeps a slow job from stacking up behind itself.
"""

from __future__ import annotations

import datetime as dt
import logging
import pickle  # APScheduler's job store format; the rows are ours
import signal
import threading
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.util import ref_to_obj
from sqlalchemy import Engine, inspect, text

from chipwire.models import JobRun, utcnow
from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import open_store, session_factory
from chipwire.pipeline.runs import error_text, reap_abandoned
from chipwire.pipeline.schedule import tasks
from chipwire.pipeline.schedule.lock import SchedulerLock
from chipwire.pipeline.schedule.plan import PlannedJob, planned_jobs

logger = logging.getLogger("chipwire.schedule")

JOB_TABLE = "apscheduler_jobs"
TICK = 1.0  # seconds between checks for due jobs (one indexed query)


class SchedulerService:
    """Start, run until told to stop, stop after the running job."""

    def __init__(self, settings: Settings, *, tick: float = TICK) -> None:
        self.settings = settings
        self.tick = tick
        self.plan = planned_jobs(settings)  # configuration errors before anything is locked
        self.engine = open_store(settings)
        self.lock = SchedulerLock(self.engine, settings.data_dir)
        self.scheduler: BackgroundScheduler | None = None
        self.stop_requested = threading.Event()
        self._ticking = threading.Event()
        self._ticker: threading.Thread | None = None

    def start(self) -> None:
        self.lock.acquire()
        try:
            factory = session_factory(self.engine)
            with factory.begin() as session:
                for run in reap_abandoned(session):
                    logger.warning("run %s (%s) was abandoned: %s", run.id, run.job, run.error)
            drop_unrestorable(self.engine)
            tasks.bind(self.settings)
            scheduler = BackgroundScheduler(
                jobstores={"default": SQLAlchemyJobStore(engine=self.engine, tablename=JOB_TABLE)},
                executors={"default": ThreadPoolExecutor(max_workers=1)},
                job_defaults={"coalesce": True, "max_instances": 1},
                timezone=ZoneInfo(self.settings.timezone),
            )
            scheduler.add_listener(
                _log_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_EXECUTED
            )
            scheduler.start(paused=True)
            _sync_jobs(scheduler, self.plan)
            scheduler.resume()
            self.scheduler = scheduler
            self._ticking.clear()
            self._ticker = threading.Thread(target=self._tick, name="chipwire-tick", daemon=True)
            self._ticker.start()
        except BaseException:
            tasks.bind(None)
            self.lock.release()
            raise
        for job in scheduler.get_jobs():
            logger.info("scheduled %s: %s, next run %s", job.id, job.name, job.next_run_time)

    def stop(self) -> None:
        """Stop after the running job (if any) finishes; release the store."""
        self._ticking.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        if self.scheduler is not None:
            logger.info("scheduler stopping after the running job")
            self.scheduler.shutdown(wait=True)
            self.scheduler = None
        tasks.bind(None)
        self.lock.release()
        self.engine.dispose()

    def _tick(self) -> None:
        """Wake the scheduler every ``tick`` seconds to look for due jobs: APScheduler 3
        sleeps until the next run time it computed when it last looked, so a suspended host
        or a clock step would otherwise leave due jobs waiting."""
        while not self._ticking.wait(self.tick):
            scheduler = self.scheduler
            if scheduler is not None:
                scheduler.wakeup()

    def run_forever(self, *, on_started: Callable[[], None] | None = None) -> None:
        """Run until SIGTERM or SIGINT (or ``stop_requested``), then stop cleanly."""
        previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, self._on_signal)
        try:
            self.start()
            if on_started is not None:
                on_started()
            try:
                while not self.stop_requested.wait(0.2):
                    pass
            finally:
                self.stop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, _frame: Any) -> None:
        logger.warning("%s received: stopping after the running job", signal.Signals(signum).name)
        self.stop_requested.set()


def _sync_jobs(scheduler: BackgroundScheduler, plan: list[PlannedJob]) -> None:
    """Make the stored jobs the configured ones, keeping a job whose configuration is
    unchanged as stored: re-adding it would move its next run to the future and lose the
    run missed during a downtime."""
    wanted = {job.id: job for job in plan}
    for stored in scheduler.get_jobs():
        if stored.id not in wanted:
            logger.info("removing job %s: no longer in the schedule", stored.id)
            stored.remove()
    for job in plan:
        stored = scheduler.get_job(job.id)
        grace = int(job.grace.total_seconds())
        if stored is not None and stored.name == job.description:
            continue
        scheduler.add_job(
            tasks.REFERENCE,
            trigger=job.trigger,
            args=[job.id],
            id=job.id,
            name=job.description,
            misfire_grace_time=grace,
            replace_existing=True,
        )


def drop_unrestorable(engine: Engine) -> list[str]:
    """Remove stored jobs whose function no longer imports, recording each as a failed
    'schedule' run; returns the messages.  APScheduler would drop them too, but only into
    its log; an operator must see them in ``chipwire status``."""
    if not inspect(engine).has_table(JOB_TABLE):
        return []
    with engine.connect() as connection:
        rows = connection.execute(text(f"SELECT id, job_state FROM {JOB_TABLE}")).all()  # noqa: S608 - our constant
    problems: list[tuple[str, str]] = []
    for job_id, state in rows:
        try:
            reference = pickle.loads(state)["func"]  # noqa: S301 - rows this scheduler wrote
            ref_to_obj(reference)
        except Exception as exc:  # any failure to restore means the same to an operator
            problems.append(
                (
                    job_id,
                    f"stored job {job_id!r} cannot be restored ({error_text(exc)}); removed it",
                )
            )
    if not problems:
        return []
    factory = session_factory(engine)
    with factory.begin() as session:
        for job_id, message in problems:
            logger.error("%s", message)
            session.execute(text(f"DELETE FROM {JOB_TABLE} WHERE id = :id"), {"id": job_id})  # noqa: S608
            now = utcnow()
            session.add(
                JobRun(
                    job="schedule",
                    status="failed",
                    error=message,
                    counts={"job": job_id},
                    finished_at=now,
                    started_at=now,
                )
            )
    return [message for _, message in problems]


def _log_event(event: JobExecutionEvent) -> None:
    if event.code == EVENT_JOB_MISSED:
        logger.warning(
            "job %s missed its run at %s (past its misfire grace)",
            event.job_id,
            event.scheduled_run_time,
        )
    elif event.code == EVENT_JOB_ERROR:
        logger.error("job %s failed: %s", event.job_id, event.exception)
    else:
        logger.info("job %s done (scheduled %s)", event.job_id, event.scheduled_run_time)


def stored_next_runs(engine: Engine) -> dict[str, dt.datetime | None]:
    """Each stored job's next run time, read without unpickling (for ``schedule list``)."""
    if not inspect(engine).has_table(JOB_TABLE):
        return {}
    with engine.connect() as connection:
        rows = connection.execute(text(f"SELECT id, next_run_time FROM {JOB_TABLE}")).all()  # noqa: S608
    return {
        job_id: dt.datetime.fromtimestamp(stamp, dt.UTC) if stamp is not None else None
        for job_id, stamp in rows
    }
