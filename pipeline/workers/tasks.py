"""The tasks workers run: thin wrappers around the jobs, reporting to their round.

Each task runs the same job function the CLI and the in-process scheduler run
(pipeline/jobs.py), so a worker does exactly what ``chipwire crawl``/``extract`` would.
A task's own failure is recorded (job_run, and its round) and then acknowledged: the
broker re-delivers only tasks whose worker died, never ones that failed cleanly, so a
bad source cannot loop.  Settings are the worker process's, bound at its start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Celery, Task

from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import open_store, session_factory
from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.runs import error_text
from chipwire.pipeline.workers.rounds import MAX_ATTEMPTS, Step, begin_step, finish_step

logger = logging.getLogger("chipwire.worker")

_bound: Settings | None = None


def bind(settings: Settings | None) -> None:
    """The settings this worker's tasks use (set by ``chipwire worker`` before it forks)."""
    global _bound  # one installation per worker process
    _bound = settings


def bound() -> Settings:
    if _bound is None:
        raise ChipwireError("a chipwire task ran in a process with no settings bound")
    return _bound


def run_step(
    step: Step, body: Callable[[Settings], dict[str, Any]], then: Callable[[Settings], None]
) -> dict[str, Any]:
    """Run one task of a round, record it there, and start what follows a complete round."""
    settings = bound()
    engine = open_store(settings)
    factory = session_factory(engine)
    try:
        attempt = begin_step(factory, step)
        counts: dict[str, Any] = {}
        error: str | None = None
        if attempt > MAX_ATTEMPTS:
            error = f"given up after {MAX_ATTEMPTS} deliveries that each ended its worker"
            logger.error("round %s task %s: %s", step.round_id, step.index, error)
        else:
            try:
                counts = body(settings)
            except Exception as exc:  # recorded, then acknowledged: see the module docstring
                error = error_text(exc)
                logger.error("round %s task %s failed: %s", step.round_id, step.index, error)
        complete = finish_step(factory, step, counts, error)
    finally:
        engine.dispose()
    if complete:
        then(settings)
    return {"round": step.round_id, "index": step.index, "error": error}


def register(app: Celery) -> None:
    """Define chipwire's tasks on ``app`` (names fixed: messages in the broker carry them)."""
    from chipwire.pipeline import jobs
    from chipwire.pipeline.workers import enqueue

    def extract_next(settings: Settings) -> None:
        enqueue.extract_round(settings, app)

    def analyse_next(settings: Settings) -> None:
        app.send_task("chipwire.market_analyse")

    @app.task(name="chipwire.crawl_source")
    def crawl_source(source: str, round_id: int, index: int) -> dict[str, Any]:
        def body(settings: Settings) -> dict[str, Any]:
            # a child process: Scrapy's reactor cannot restart in a long-lived worker
            results = jobs.crawl_job(settings, names=[source], isolated=True)
            return {"stored": sum(int(r.counts.get("stored", 0)) for r in results)}

        return run_step(Step(round_id, index), body, extract_next)

    @app.task(name="chipwire.extract_batch", bind=True)
    def extract_batch(self: Task, round_id: int, index: int) -> dict[str, Any]:
        claim = str(self.request.id)  # the same when the broker re-delivers this task

        def body(settings: Settings) -> dict[str, Any]:
            return jobs.extract_batch_job(settings, claim=claim)

        return run_step(Step(round_id, index), body, enqueue.prune_deals)

    @app.task(name="chipwire.market_batch")
    def market_batch(symbols: list[str], round_id: int, index: int) -> dict[str, Any]:
        def body(settings: Settings) -> dict[str, Any]:
            return jobs.market_refresh_job(settings, symbols=symbols, analyse=False)

        return run_step(Step(round_id, index), body, analyse_next)

    @app.task(name="chipwire.market_analyse")
    def market_analyse() -> dict[str, Any]:
        return jobs.market_analyse_job(bound())

    @app.task(name="chipwire.brief")
    def brief(week: str | None = "last") -> dict[str, Any]:
        return jobs.brief_job(bound(), week=week)

    @app.task(name="chipwire.backfill_file")
    def backfill_file(location: str, round_id: int, index: int) -> dict[str, Any]:
        def body(settings: Settings) -> dict[str, Any]:
            results = jobs.backfill_job(settings, [location], isolated=True, extract=False)
            return {"stored": sum(int(r.counts.get("stored", 0)) for r in results)}

        return run_step(Step(round_id, index), body, extract_next)
