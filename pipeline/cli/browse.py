"""Looking at the store and the settings: config, companies, sql."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from chipwire.pipeline.cli.common import console, err_console, print_jsonl, settings_from
from chipwire.pipeline.config import find_config_file
from chipwire.pipeline.db import open_store
from chipwire.pipeline.listing import list_candidates, list_companies
from chipwire.pipeline.sqlquery import run_readonly

app = typer.Typer()


@app.command("config")
def config_command(ctx: typer.Context) -> None:
    """Print the effective settings (passwords masked) and where they came from.

    Example: chipwire config
    """
    settings = settings_from(ctx)
    path = find_config_file(ctx.find_root().obj.get("config"))
    table = Table("setting", "value", "environment variable", title="chipwire settings")
    for column in table.columns:  # a path or URL is wrapped, never cut to "…"
        column.overflow = "fold"
    for name, value in settings.masked().items():
        table.add_row(name, value, f"CHIPWIRE_{name.upper()}")
    console.print(table)
    console.print(f"config file: {path if path else '(none)'}", highlight=False)


@app.command("companies")
def companies_command(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option(help="Only this kind, e.g. chip_designer.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    candidates: Annotated[
        bool,
        typer.Option(
            "--candidates", help="Unregistered organisations found by extraction, to add."
        ),
    ] = False,
) -> None:
    """List the companies in the store with symbols, aliases and products.

    Example: chipwire companies --kind chip_designer
    """
    settings = settings_from(ctx)
    engine = open_store(settings)
    if candidates:
        found = list_candidates(engine)
        engine.dispose()
        if as_json:
            print_jsonl(found)
            return
        table = Table("name", "articles", "seen as", "example sentence")
        for row in found:
            table.add_row(row["name"], str(row["articles"]), row["context"], row["example"])
        console.print(table)
        console.print(f"{len(found)} candidates", highlight=False)
        return
    rows = list_companies(engine, kind=kind)
    engine.dispose()
    if as_json:
        print_jsonl(rows)
        return
    table = Table("slug", "name", "kind", "symbol", "exchange", "aliases", "products")
    for row in rows:
        table.add_row(
            row["slug"],
            row["name"],
            row["kind"],
            row["symbol"] or "",
            row["exchange"] or "",
            ", ".join(row["aliases"]),
            ", ".join(row["products"]),
        )
    console.print(table)
    console.print(f"{len(rows)} companies", highlight=False)


@app.command("sql")
def sql_command(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="One SQL statement (read-only).")],
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV with a header row.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array of row objects.")] = False,
    max_rows: Annotated[int | None, typer.Option(help="Stop after this many rows.", min=1)] = None,
) -> None:
    """Run a read-only SQL query on the store and print the rows; writes are refused.

    Example: chipwire sql "SELECT name, symbol FROM company WHERE kind = 'chip_designer'"
    """
    if as_csv and as_json:
        raise typer.BadParameter("choose one of --csv and --json")
    settings = settings_from(ctx)
    result = run_readonly(settings.url, query, max_rows=max_rows)
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
    elif as_json:
        records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, default=str, indent=1) + "\n")
    else:
        table = Table(*result.columns)
        for row in result.rows:
            table.add_row(*("" if value is None else str(value) for value in row))
        console.print(table)
        console.print(f"{len(result.rows)} rows", highlight=False)
    if result.truncated:
        # on stderr, so CSV and JSON on stdout stay clean
        err_console.print(
            f"stopped at --max-rows {max_rows}: the query has more rows", highlight=False
        )
