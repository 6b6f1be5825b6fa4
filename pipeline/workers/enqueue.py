"""Turning a scheduled job into tasks on the broker: what the leader does instead of working.

Crawls are one task per enabled source; extraction is as many batch tasks as the pending
articles fill (each claims its own batch when it runs); prices are one task per batch of
symbols; a backfill is one task per WARC file.  Each fan-out is a round (rounds.py) whose
last task starts the next step, so "crawl, then extract" holds across workers too.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Sequence
from typing import Any

from celery import Celery

from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import open_store, session_factory, store_errors
from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.workers.rounds import open_round

logger = logging.getLogger("chipwire.enqueue")

STAGES = ("crawl", "extract", "market", "brief", "backfill")


def _fan_out(
    settings: Settings,
    app: Celery,
    job: str,
    task: str,
    args: Sequence[Sequence[Any]],
    **info: Any,
) -> dict[str, Any]:
    """Open a round for ``args`` (one task each) and send its tasks."""
    engine = open_store(settings)
    with store_errors(engine):
        round_id = open_round(session_factory(engine), job, len(args), **info)
    engine.dispose()
    for index, task_args in enumerate(args):
        app.send_task(task, args=[*task_args, round_id, index])
    logger.info("%s: %d task(s) sent as round %d", job, len(args), round_id)
    return {"round": round_id, "tasks": len(args)}


def crawl_round(settings: Settings, app: Celery, names: Sequence[str] = ()) -> dict[str, Any]:
    from chipwire.spiders.runtime import select_sources

    chosen = select_sources(settings, list(names), [])
    return _fan_out(settings, app, "crawl-round", "chipwire.crawl_source", [[n] for n in chosen])


def extract_round(settings: Settings, app: Celery) -> dict[str, Any]:
    """Enough batch tasks for the articles pending now; claimed ones in flight excluded."""
    from chipwire.pipeline.extract.batches import count_claimable

    engine = open_store(settings)
    with store_errors(engine), session_factory(engine)() as session:
        lease = dt.timedelta(seconds=settings.task_visibility_timeout)
        pending = count_claimable(session, lease)
    engine.dispose()
    tasks = math.ceil(pending / settings.extract_batch)
    return _fan_out(
        settings, app, "extract-round", "chipwire.extract_batch", [[]] * tasks, pending=pending
    )


def prune_deals(settings: Settings) -> None:
    """After an extraction round: deals no article reports any more."""
    from chipwire.pipeline.extract.batches import prune

    engine = open_store(settings)
    with store_errors(engine):
        pruned = prune(session_factory(engine))
    engine.dispose()
    logger.info("extraction round complete; %d orphan deal(s) pruned", pruned)


def market_round(settings: Settings, app: Celery, symbols: Sequence[str] = ()) -> dict[str, Any]:
    from chipwire.pipeline.market.refresh import listed

    if not symbols:
        engine = open_store(settings)
        with store_errors(engine), session_factory(engine)() as session:
            exchanges = listed(session)
        engine.dispose()
        wanted = [*sorted(exchanges), settings.benchmark, settings.market_index]
        symbols = list(dict.fromkeys(wanted))
    size = settings.market_batch
    batches = [[list(symbols[i : i + size])] for i in range(0, len(symbols), size)]
    return _fan_out(settings, app, "market-round", "chipwire.market_batch", batches)


def backfill_round(settings: Settings, app: Celery, locations: Sequence[str]) -> dict[str, Any]:
    if not locations:
        raise ChipwireError("backfill needs at least one WARC file or URL")
    args = [[location] for location in locations]
    return _fan_out(settings, app, "backfill-round", "chipwire.backfill_file", args)


def enqueue(
    settings: Settings,
    stage: str,
    *,
    app: Celery | None = None,
    names: Sequence[str] = (),
    week: str | None = "last",
) -> dict[str, Any]:
    """Send one stage's tasks to the workers; ``names``: sources (crawl), symbols (market)
    or WARC files/URLs (backfill)."""
    from chipwire.pipeline.workers.app import make_app

    own = app is None
    app = app or make_app(settings)
    try:
        if stage == "crawl":
            return crawl_round(settings, app, names)
        if stage == "extract":
            return extract_round(settings, app)
        if stage == "market":
            return market_round(settings, app, names)
        if stage == "backfill":
            return backfill_round(settings, app, names)
        if stage == "brief":
            app.send_task("chipwire.brief", args=[week])
            return {"tasks": 1}
        raise ChipwireError(f"unknown stage {stage!r} (known: {', '.join(STAGES)})")
    finally:
        if own:
            app.close()
