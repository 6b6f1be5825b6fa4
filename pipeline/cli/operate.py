"""Operator commands: ``run`` (the whole chain once) and ``status`` (what state it is in)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Annotated, Any

import typer
from rich.table import Table

from chipwire.pipeline.cli.common import console, err_console, settings_from

app = typer.Typer()


@app.command("run")
def run_command(
    ctx: typer.Context,
    skip: Annotated[
        list[str] | None,
        typer.Option(help="Leave out a stage: crawl, extract, market or brief (repeatable)."),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show Scrapy's log during the crawl.")
    ] = False,
) -> None:
    """Run the whole chain once: crawl -> extract -> market -> brief, with progress.

    A failing stage is reported and the next one still runs; the exit status is 1 if any
    stage failed. Example: chipwire run --skip market
    """
    from chipwire.pipeline.chain import run_chain
    from chipwire.pipeline.cli.crawlview import LiveProgress, crawl_logging
    from chipwire.pipeline.logs import start_logging, stop_logging

    settings = settings_from(ctx)
    log = start_logging(settings, stderr=False)
    interactive = console.is_terminal
    live = LiveProgress() if interactive else None

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        console.print(f"[bold]{name}[/] ...", highlight=False)
        with live.shown() if live is not None and name == "crawl" else nullcontext():
            yield

    try:
        with crawl_logging(verbose) as log_overrides:
            results = run_chain(
                settings,
                skip=skip or [],
                on_stage=stage,
                show_progress=interactive,
                crawl_options={"overrides": log_overrides, "progress": live},
            )
    finally:
        stop_logging()
    table = Table("stage", "result", "s", title="chipwire run")
    for result in results:
        mark = "[green]ok[/]" if result.ok else "[bold red]FAILED[/]"
        table.add_row(result.stage, f"{mark} {_escape(result.summary)}", f"{result.seconds:.1f}")
    console.print(table)
    console.print(f"log: {log}", highlight=False, soft_wrap=True)
    if not all(result.ok for result in results):
        raise typer.Exit(1)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@app.command("status")
def status_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
) -> None:
    """Per stage the last success and failure, data freshness, overdue jobs, silent sources.

    Also marks runs whose process died as abandoned. Example: chipwire status --json
    """
    from chipwire.pipeline.status import gather_status

    status = gather_status(settings_from(ctx))
    if as_json:
        sys.stdout.write(json.dumps(status, indent=2, ensure_ascii=False) + "\n")
        return
    print_status(status)


def _when(run: dict[str, Any] | None) -> str:
    if run is None:
        return "never"
    return (run["finished_at"] or run["started_at"] or "")[:16].replace("T", " ")


def print_status(status: dict[str, Any]) -> None:
    scheduler = status["scheduler"]
    console.print(
        f"scheduler: {_escape(scheduler['holder'] or 'not running')}",
        highlight=False,
        soft_wrap=True,
    )
    stages = Table("stage", "last success", "last failure", "error", title="stages")
    for stage, info in status["stages"].items():
        if stage == "schedule" and info["last_failure"] is None:
            continue  # a row only for problems with the stored schedule
        failure = info["last_failure"]
        success = _when(info["last_success"])
        if info["running"]:
            latest = info["running"][-1]
            done = f", {latest['tasks_done']}/{latest['tasks']} tasks" if latest["tasks"] else ""
            success += f" (running since {_when(latest)}{done})"
        error = ""
        if failure is not None:
            error = f"{failure['status']}: {failure['error'] or ''}"[:160]
        stages.add_row(stage, success, _when(failure) if failure else "", _escape(error))
    console.print(stages)
    fresh = status["freshness"]
    console.print(
        f"articles: {fresh['articles']} ({fresh['articles_last_24h']} in the last 24 h), newest "
        f"fetched {fresh['newest_article_fetched'] or 'never'}; newest price "
        f"{fresh['newest_price_date'] or 'none'}",
        highlight=False,
        soft_wrap=True,
    )
    for job, when in sorted(scheduler["next_runs"].items()):
        console.print(f"next {job}: {when}", highlight=False)
    for late in status["overdue"]:
        err_console.print(
            f"[yellow]overdue:[/] {late['job']} was due {late['due']} "
            f"(last success {late['last_success'] or 'never'})",
            highlight=False,
            soft_wrap=True,
        )
    for run in status["abandoned_now"]:
        err_console.print(
            f"[yellow]abandoned:[/] run {run['id']} ({run['job']}) started {run['started_at']}: "
            f"{_escape(run['error'] or '')}",
            highlight=False,
            soft_wrap=True,
        )
    if status.get("broker") is not None:
        print_broker(status["broker"])
    never = [row["source"] for row in status["silent_sources"] if row["why"] == "never crawled"]
    if never:
        console.print(
            f"{len(never)} configured sources never crawled: {', '.join(never)}",
            highlight=False,
            soft_wrap=True,
        )
    rest = [row for row in status["silent_sources"] if row["why"] != "never crawled"]
    if rest:
        silent = Table("source", "last article", "why", title="silent sources")
        for row in rest:
            silent.add_row(
                row["source"], (row["last_article"] or "never")[:10], _escape(row["why"])
            )
        console.print(silent)


def print_broker(broker: dict[str, Any]) -> None:
    """Queue depths and live workers (``chipwire status`` with a broker configured)."""
    if broker["error"]:
        err_console.print(
            f"[red]broker {broker['url']}:[/] {_escape(broker['error'])}",
            highlight=False,
            soft_wrap=True,
        )
        return
    depths = ", ".join(
        f"{queue} {'-' if depth is None else depth}" for queue, depth in broker["queues"].items()
    )
    console.print(f"broker {broker['url']}: waiting tasks: {depths}", highlight=False)
    if not broker["workers"]:
        err_console.print("[yellow]no live workers[/]: start some with `chipwire worker`")
    for name, queues in broker["workers"].items():
        console.print(f"worker {_escape(name)}: {', '.join(queues)}", highlight=False)
