"""``chipwire backfill``: archived news (WARC files) into the store, then extraction."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from chipwire.pipeline.cli.common import console, err_console, settings_from

app = typer.Typer()


@app.command("backfill")
def backfill_command(
    ctx: typer.Context,
    locations: Annotated[
        list[str], typer.Argument(help="WARC files (.warc or .warc.gz) or http(s) URLs of them.")
    ],
    extract: Annotated[
        bool, typer.Option("--extract/--no-extract", help="Extract from what was stored.")
    ] = True,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show Scrapy's log (default: warnings).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per file on stdout, no table.")
    ] = False,
) -> None:
    """Read archived news from WARC files (e.g. CC-NEWS) into the store, then extract.

    HTML responses go through the same parsing, validation, relevance filter and dedup
    as a crawl. Re-reading a file adds nothing.

    Each file is recorded in job_run ('backfill') with what it held: records, HTML
    responses, stored, dropped and why. A file that cannot be read fails alone; a file
    cut short keeps the records before the cut. Exit status 1 if any file failed.
    Example: chipwire backfill CC-NEWS-20261101000000-00000.warc.gz
    """
    from chipwire.pipeline.cli.crawlview import LiveProgress, crawl_logging, print_json
    from chipwire.pipeline.jobs import backfill_job

    settings = settings_from(ctx)
    live = LiveProgress("files", "reading") if console.is_terminal and not as_json else None
    with crawl_logging(verbose) as overrides, live.shown() if live else nullcontext():
        results = backfill_job(
            settings, locations, extract=extract, overrides=overrides, progress=live
        )
    if as_json:
        print_json(results)
        return
    print_backfill(results)
    if any(result.status == "failed" for result in results):
        raise typer.Exit(1)


def print_backfill(results: list[Any]) -> None:
    """Per file: records read, HTML responses, stored, dropped, already stored; then why."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("file", overflow="fold")
    table.add_column("status", no_wrap=True)
    for name in ("records", "html", "stored", "dropped", "known"):
        table.add_column(name, justify="right")
    for result in results:
        counts = result.counts
        warc = counts.get("warc", {})
        table.add_row(
            escape(result.source),
            result.status,
            str(warc.get("records", 0)),
            str(warc.get("html", 0)),
            str(counts.get("stored", 0)),
            str(sum(counts.get("dropped", {}).values())),
            str(counts.get("skipped_known", 0)),
        )
    console.print(table)
    for result in results:
        skipped = {
            k: v for k, v in result.counts.get("warc", {}).items() if k not in ("records", "html")
        }
        reasons = {**result.counts.get("dropped", {}), **skipped}
        if reasons:
            detail = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))
            console.print(
                f"{escape(result.source)}: left out: {detail}",
                highlight=False,
                soft_wrap=True,
                emoji=False,
            )
        if result.status != "succeeded":
            why = escape(result.error or "")
            err_console.print(
                f"[yellow]{result.status}:[/] {why}",  # the error names the file
                highlight=False,
                emoji=False,
                soft_wrap=True,
            )
