"""Scale-out commands: ``worker`` (take tasks from the broker) and ``enqueue`` (send some)."""

from __future__ import annotations

import logging
import os
from typing import Annotated

import typer

from chipwire.pipeline.cli.common import console, settings_from
from chipwire.pipeline.config import Settings

app = typer.Typer()


@app.command("worker")
def worker_command(
    ctx: typer.Context,
    queues: Annotated[
        str,
        typer.Option(
            "--queues",
            "-Q",
            help="Comma-separated queues to take tasks from: crawl, extract, market, brief, "
            "backfill (default: all).",
        ),
    ] = "crawl,extract,market,brief,backfill",
    concurrency: Annotated[
        int,
        typer.Option("--concurrency", "-c", min=1, help="Worker processes (default: 1)."),
    ] = 1,
    name: Annotated[
        str | None,
        typer.Option(
            help="Worker name as `chipwire status` shows it (default: chipwire-PID@host)."
        ),
    ] = None,
) -> None:
    """Start a Celery worker that runs the stages' tasks (needs broker_url).

    Tasks are acknowledged when done, so a worker killed mid-task loses nothing: its task
    goes to another worker. Stop it with Ctrl-C or SIGTERM: it finishes the task at hand
    first. Example: chipwire worker --queues extract --concurrency 2
    """
    from chipwire.pipeline.logs import start_logging
    from chipwire.pipeline.workers.app import QUEUES, make_app
    from chipwire.pipeline.workers.tasks import bind, register

    wanted = [q.strip() for q in queues.split(",") if q.strip()]
    unknown = [q for q in wanted if q not in QUEUES]
    if unknown or not wanted:
        raise typer.BadParameter(
            f"unknown queue(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(QUEUES)}",
            param_hint="--queues",
        )
    settings = settings_from(ctx)
    celery = make_app(settings)  # no broker configured: says so before anything else
    register(celery)
    start_logging(settings, stderr=False)  # Celery logs to stderr itself
    logging.getLogger("alembic").setLevel(logging.WARNING)  # a line per task otherwise
    _reap(settings)
    bind(settings)
    if "extract" in wanted:
        _warm(settings)
    node = name or f"chipwire-{os.getpid()}@%h"
    console.print(
        f"worker {node.replace('%h', os.uname().nodename)}: queues {', '.join(wanted)}, "
        f"{concurrency} process(es)",
        highlight=False,
    )
    celery.worker_main(
        [
            "worker",
            f"--queues={','.join(wanted)}",
            f"--concurrency={concurrency}",
            f"--hostname={node}",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
        ]
    )


@app.command("enqueue")
def enqueue_command(
    ctx: typer.Context,
    stage: Annotated[str, typer.Argument(help="crawl, extract, market, brief or backfill.")],
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="Sources (crawl), symbols (market) or WARC files/URLs (backfill); "
            "default: all enabled sources / all listed symbols."
        ),
    ] = None,
    week: Annotated[
        str, typer.Option(help="Briefing week for `brief`: 'last' or e.g. 2026-W11.")
    ] = "last",
) -> None:
    """Send one stage's tasks to the workers now, as the scheduler would (needs broker_url).

    Crawls go out one task per source, extraction in batches of `extract_batch` pending
    articles, prices in batches of `market_batch` symbols, a backfill one task per WARC
    file; `chipwire status` shows the queues draining. Example: chipwire enqueue extract
    """
    from chipwire.pipeline.workers.enqueue import enqueue

    settings = settings_from(ctx)
    sent = enqueue(settings, stage, names=names or [], week=week)
    detail = f", tracked in job_run id {sent['round']}" if "round" in sent else ""
    console.print(f"{stage}: {sent['tasks']} task(s) sent{detail}", highlight=False)


def _warm(settings: Settings) -> None:
    """Build the extraction pipeline before taking tasks: the pool's processes are forked
    from this one and inherit it (sharing its memory), so no batch waits seconds for a
    pipeline and a broken registry stops the worker at start, not at its first task."""
    from chipwire.pipeline.jobs import worker_nlp

    with console.status("building the extraction pipeline"):
        worker_nlp(settings)


def _reap(settings: Settings) -> None:
    """Runs this host's earlier workers left 'running' when they died are marked abandoned:
    a pid means something only on its own host, so each host's worker reaps its own."""
    from chipwire.pipeline.db import open_store, session_factory, store_errors
    from chipwire.pipeline.runs import reap_abandoned

    engine = open_store(settings)
    with store_errors(engine), session_factory(engine).begin() as session:
        gone = reap_abandoned(session)
    engine.dispose()
    if gone:
        console.print(f"{len(gone)} run(s) of dead processes on this host marked abandoned")
