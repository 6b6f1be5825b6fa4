"""Market commands: ``market refresh``, ``market status``, ``market analyse``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from chipwire.models import utcnow
from chipwire.pipeline.cli.common import console, err_console, settings_from
from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import open_store, session_factory, store_errors
from chipwire.pipeline.jobs import market_analyse_job, market_refresh_job

app = typer.Typer(no_args_is_help=True, help="Daily prices and event studies around deals.")


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


@app.command("refresh")
def refresh_command(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(help="Fetch from this date (YYYY-MM-DD) instead of each symbol's last bar."),
    ] = None,
    symbols: Annotated[
        list[str] | None,
        typer.Option("--symbols", help="Only these symbols (repeat the option); default: all."),
    ] = None,
    csv: Annotated[
        Path | None,
        typer.Option(help="Read bars from this CSV file instead of yfinance (format: docs)."),
    ] = None,
) -> None:
    """Fetch daily prices (yfinance, or --csv) into price_bar, then recompute the analytics.

    Re-running adds nothing; a symbol that fails is reported and the others go on.
    Example: chipwire market refresh --since 2026-01-01 --symbols NVDA --symbols SMH
    """
    settings = settings_from(ctx)
    counts = market_refresh_job(
        settings,
        since=_date(since),
        symbols=symbols or (),
        csv=csv,
        show_progress=sys.stderr.isatty(),
    )
    console.print(
        f"{counts['priced']} of {counts['symbols']} symbols from {counts['source']}: "
        f"{counts['bars_fetched']} bars fetched, {counts['bars_added']} new",
        highlight=False,
    )
    for symbol, problem in sorted(counts["problems"].items()):
        err_console.print(f"warning: {symbol}: {problem}", highlight=False, soft_wrap=True)
    print_analysis(counts["analysis"])


@app.command("analyse")
def analyse_command(ctx: typer.Context) -> None:
    """Recompute company_week and deal_reaction (event studies) from the stored prices.

    Runs after every refresh too. Example: chipwire market analyse
    """
    print_analysis(market_analyse_job(settings_from(ctx)))


def print_analysis(counts: dict[str, Any]) -> None:
    console.print(
        f"{counts['reactions']} deal reactions, {counts['company_weeks']} company weeks",
        highlight=False,
    )
    for line in counts["skipped"]:
        console.print(f"no reaction for {line}", highlight=False, soft_wrap=True, style="dim")


@app.command("status")
def status_command(ctx: typer.Context) -> None:
    """Per symbol: first and last bar, missing sessions, and sessions behind the exchange.

    Example: chipwire market status
    """
    console.print(status_table(settings_from(ctx)))


def status_table(settings: Settings) -> Table:
    from chipwire.pipeline.market.refresh import listed
    from chipwire.pipeline.market.status import price_status

    engine = open_store(settings)
    with store_errors(engine), session_factory(engine)() as session:
        symbols: dict[str, str | None] = {
            settings.benchmark: None,
            settings.market_index: None,
            **listed(session),
        }
        rows = price_status(session, symbols, utcnow())
    engine.dispose()
    table = Table("symbol", "source", "first", "last", "bars", "gaps", "behind", "note")
    for row in rows:
        table.add_row(
            row.symbol,
            row.sources,
            str(row.first or ""),
            str(row.last or ""),
            str(row.bars),
            "" if row.gaps is None else str(row.gaps),
            "" if row.behind is None else str(row.behind),
            row.note,
        )
    return table
