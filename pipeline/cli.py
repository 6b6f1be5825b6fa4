"""The ``chipwire`` command: thin typer commands over pipeline jobs.

Expected failures (:class:`ChipwireError`) print one line naming the file, key
or URL at fault and exit 1; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import DBAPIError
from typer.core import TyperGroup

from chipwire.pipeline import __version__
from chipwire.pipeline.config import Settings, find_config_file, load_settings, mask_url
from chipwire.pipeline.db import current_revision, head_revision, make_engine, upgrade
from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.jobs import demo_job, open_store, seed_job
from chipwire.pipeline.sqlquery import run_readonly

console = Console()
err_console = Console(stderr=True)


class _Group(TyperGroup):
    """Root command group that reports expected errors as one line."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ChipwireError, DBAPIError) as exc:
            obj = ctx.obj if isinstance(ctx.obj, dict) else {}
            if obj.get("debug") or "--debug" in sys.argv[1:]:
                raise
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            if isinstance(exc, DBAPIError):
                message = f"database error: {message}"
            err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
            ctx.exit(1)


app = typer.Typer(
    cls=_Group,
    help="chipwire: market and news intelligence for the AI-chip industry.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
db_app = typer.Typer(help="Create, migrate and seed the SQL store.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _version(value: bool) -> None:
    if value:
        console.print(f"chipwire {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="TOML settings file (default: ./chipwire.toml)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    """chipwire: market and news intelligence for the AI-chip industry.

    Settings come from CHIPWIRE_* environment variables, then chipwire.toml;
    `chipwire config` shows the effective values.
    """
    ctx.obj = {"config": config, "debug": debug}


def print_jsonl(rows: list[dict[str, Any]]) -> None:
    """One JSON object per line: what `--json` listings print, for piping into jq."""
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


def _settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    obj = root.obj or {}
    settings = load_settings(obj.get("config"))
    if settings.debug:
        obj["debug"] = True
    return settings


@app.command("config")
def config_command(ctx: typer.Context) -> None:
    """Print the effective settings (passwords masked) and where they came from.

    Example: chipwire config
    """
    settings = _settings(ctx)
    path = find_config_file(ctx.find_root().obj.get("config"))
    table = Table("setting", "value", "environment variable", title="chipwire settings")
    for name, value in settings.masked().items():
        table.add_row(name, value, f"CHIPWIRE_{name.upper()}")
    console.print(table)
    console.print(f"config file: {path if path else '(none)'}", highlight=False)


@db_app.command("upgrade")
def db_upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Create the store or migrate it to the newest schema; safe to repeat.

    Example: chipwire db upgrade
    """
    settings = _settings(ctx)
    engine = make_engine(settings.url)
    before, after = upgrade(engine, revision)
    engine.dispose()
    where = mask_url(settings.url)
    if before == after:
        console.print(f"{where}: already at revision {after}", highlight=False)
    else:
        console.print(f"{where}: migrated {before or '(empty)'} -> {after}", highlight=False)


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the store's schema revision and whether it is up to date.

    Example: chipwire db current
    """
    settings = _settings(ctx)
    engine = make_engine(settings.url, create_dir=False)
    current = current_revision(engine)
    engine.dispose()
    head = head_revision()
    state = "up to date" if current == head else "needs `chipwire db upgrade`"
    console.print(
        f"{mask_url(settings.url)}: revision {current or '(empty)'}, head {head}: {state}",
        highlight=False,
    )


@db_app.command("seed")
def db_seed(
    ctx: typer.Context,
    registry: Annotated[
        Path | None, typer.Option(help="Registry YAML file (default: settings.registry_path).")
    ] = None,
) -> None:
    """Upsert the company registry (companies, aliases, products) into the store; idempotent.

    Example: chipwire db seed --registry my-companies.yaml
    """
    settings = _settings(ctx)
    if registry is not None:
        settings = settings.model_copy(update={"registry_path": registry})
    counts = seed_job(settings)
    console.print(
        f"seeded {settings.registry_path}: companies +{counts.companies_added} "
        f"~{counts.companies_updated} ={counts.companies_unchanged}; "
        f"aliases +{counts.aliases_added} -{counts.aliases_removed} ~{counts.aliases_changed}; "
        f"products +{counts.products_added} -{counts.products_removed} "
        f"~{counts.products_changed}",
        highlight=False,
    )
    if counts.not_in_registry:
        console.print(
            f"note: {len(counts.not_in_registry)} companies in the store are no longer in the "
            f"registry (kept): {', '.join(counts.not_in_registry[:10])}",
            highlight=False,
        )


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
    from chipwire.pipeline.listing import list_candidates, list_companies

    settings = _settings(ctx)
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
    settings = _settings(ctx)
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


@app.command("demo")
def demo_command(ctx: typer.Context) -> None:
    """Run the main job end to end on the bundled sample site: store, registry, crawl, extract.

    Serves the sample site on 127.0.0.1, crawls it with the real spiders into the
    store and prints a summary. Example: chipwire demo
    """
    settings = _settings(ctx)
    summary = demo_job(settings)
    console.print(
        f"store {mask_url(settings.url)} at revision {summary['revision']}", highlight=False
    )
    from chipwire.pipeline.cli_collect import print_crawl

    print_crawl(summary["crawl"])
    extracted = summary["extract"]
    console.print(
        f"extracted {extracted['articles']} articles: {extracted['mentions']} company mentions, "
        f"{extracted['deals']} deal reports, {extracted['benchmarks']} benchmark claims",
        highlight=False,
    )
    tables = Table("table", "rows", title="store")
    for name, count in summary["tables"].items():
        tables.add_row(name, str(count))
    console.print(tables)
    kinds = Table("kind", "companies", title="registry by kind")
    for name, count in summary["companies_by_kind"].items():
        kinds.add_row(name, str(count))
    console.print(kinds)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="chipwire")


# Command groups that live in their own modules register themselves on `app` when imported.
from chipwire.pipeline import cli_collect, cli_extract  # noqa: E402, F401
