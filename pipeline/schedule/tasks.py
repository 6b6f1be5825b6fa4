"""What the scheduler's job store names: one function, ``run``, called with a task name.

The job store persists jobs by import path (``chipwire.pipeline.schedule.tasks:run``) and
their arguments, so the path must survive refactoring and the arguments must be plain:
only the task name is stored; the settings are this process's, bound by the service at
start, so an edited ``chipwire.toml`` takes effect on the next start.
"""

from __future__ import annotations

import logging
from typing import Any

from chipwire.pipeline.config import Settings
from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.jobs import brief_job, crawl_job, extract_job, market_refresh_job

logger = logging.getLogger("chipwire.schedule")

REFERENCE = "chipwire.pipeline.schedule.tasks:run"

_bound: Settings | None = None


def bind(settings: Settings | None) -> None:
    """The settings scheduled runs use (None unbinds, when the scheduler stops)."""
    global _bound  # one scheduler per process, set once at its start
    _bound = settings


def run(task: str) -> dict[str, Any]:
    """Run one scheduled task; every job it runs records itself in ``job_run``."""
    if _bound is None:
        raise ChipwireError(f"scheduled task {task!r} ran with no scheduler settings bound")
    settings = _bound
    logger.info("task %s starting", task)
    if settings.broker_url:
        return {"enqueued": dispatch(settings, task)}
    if task == "crawl":
        result = collect(settings)
    elif task == "market":
        result = {"market": market_refresh_job(settings)}
    elif task == "brief":
        # Monday morning's briefing is last week's, which is complete
        result = {"brief": brief_job(settings, week="last")}
    else:
        raise ChipwireError(f"unknown scheduled task {task!r} (known: crawl, market, brief)")
    logger.info("task %s finished", task)
    return result


def dispatch(settings: Settings, task: str) -> dict[str, Any]:
    """With a broker the scheduler only enqueues: workers run the stages (the crawl round's
    last task starts extraction, the price round's the analysis)."""
    from chipwire.pipeline.workers.enqueue import enqueue

    stage = {"crawl": "crawl", "market": "market", "brief": "brief"}.get(task)
    if stage is None:
        raise ChipwireError(f"unknown scheduled task {task!r} (known: crawl, market, brief)")
    sent = enqueue(settings, stage, week="last")
    logger.info("task %s: %d task(s) sent to the workers", task, sent["tasks"])
    return sent


def collect(settings: Settings) -> dict[str, Any]:
    """Crawl in a child process, then extract whatever is new, even after a failed crawl:
    articles stored before a timeout are worth extracting."""
    outcome: dict[str, Any] = {}
    try:
        outcome["crawl"] = crawl_job(settings, isolated=True)
    except ChipwireError as exc:  # recorded in job_run by the crawl job itself
        logger.error("crawl failed: %s", exc)
        outcome["crawl_error"] = str(exc)
    outcome["extract"] = extract_job(settings, show_progress=False)
    if "crawl_error" in outcome:
        raise ChipwireError(f"crawl failed: {outcome['crawl_error']} (extraction ran)")
    return outcome
