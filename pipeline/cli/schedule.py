"""``chipwire schedule run | list``: the scheduler, and what it will run when."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from chipwire.pipeline.cli.common import console, settings_from

app = typer.Typer(help="Run the scheduler, or list its jobs.", no_args_is_help=True)


@app.command("run")
def schedule_run_command(ctx: typer.Context) -> None:
    """Run the scheduler until SIGTERM or Ctrl-C: crawl + extract, market refresh, briefing.

    Triggers come from the [schedule] settings; one scheduler per store (a second one is
    refused, naming the holder). Logs go to stderr and DATA_DIR/logs/chipwire.log.
    Example: chipwire schedule run
    """
    from chipwire.pipeline.logs import start_logging, stop_logging
    from chipwire.pipeline.schedule.service import SchedulerService

    settings = settings_from(ctx)
    log = start_logging(settings)
    try:
        _serve(SchedulerService(settings), log)
    finally:
        stop_logging()
    console.print("scheduler stopped", highlight=False)


def _serve(service: Any, log: Any) -> None:
    service.run_forever(
        on_started=lambda: console.print(
            f"scheduler started (stop with Ctrl-C or SIGTERM); log: {log}",
            highlight=False,
            soft_wrap=True,
        )
    )


@app.command("list")
def schedule_list_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Each scheduled job: its trigger, misfire grace and next run time.

    The next run is the stored one when a scheduler has run on this store, else the one
    the trigger gives from now. Example: chipwire schedule list
    """
    rows = schedule_rows(settings_from(ctx))
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row) + "\n")
        return
    table = Table("job", "when", "next run", title="schedule")
    for row in rows:
        table.add_row(row["job"], row["trigger"], row["next_run"] or "")
    console.print(table)


def schedule_rows(settings: Any) -> list[dict[str, Any]]:
    import datetime as dt

    from chipwire.pipeline.db import open_store
    from chipwire.pipeline.schedule.plan import planned_jobs
    from chipwire.pipeline.schedule.service import stored_next_runs

    engine = open_store(settings)
    stored = stored_next_runs(engine)
    engine.dispose()
    now = dt.datetime.now(dt.UTC)
    rows = []
    for job in planned_jobs(settings):
        upcoming = (
            stored.get(job.id) if job.id in stored else job.trigger.get_next_fire_time(None, now)
        )
        rows.append(
            {
                "job": job.id,
                "trigger": job.description,
                "next_run": upcoming.isoformat(timespec="minutes") if upcoming else None,
                "stored": job.id in stored,
            }
        )
    return rows
