"""The ``chipwire`` command, composed: the root options, error reporting and every group.

Each command group is its own module exporting a Typer ``app``; this is the one place
they are put together.  Adding a command: write it in the module of its group (or a
new module with its own ``app``) and add that app below.

Expected failures (:class:`ChipwireError`, database errors) print one line naming the
file, key or URL at fault and exit 1; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from sqlalchemy.exc import DBAPIError
from typer.core import TyperGroup

from chipwire.pipeline import __version__
from chipwire.pipeline.cli import (
    backfill,
    brief,
    browse,
    collect,
    demo,
    extract,
    market,
    operate,
    schedule,
    store,
    worker,
)
from chipwire.pipeline.cli.common import console, err_console
from chipwire.pipeline.errors import ChipwireError


class ErrorReportingGroup(TyperGroup):
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
            # the message is data: "[postgres]" or a URL's brackets must not read as markup
            err_console.print(
                f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True
            )
            ctx.exit(1)


app = typer.Typer(
    cls=ErrorReportingGroup,
    help="chipwire: market and news intelligence for the AI-chip industry.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


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


# Top-level commands (no group name) first, then the named groups; help lists them in this order.
app.add_typer(browse.app)  # config, companies, sql
app.add_typer(collect.app)  # crawl, sources, new-source, fixtures
app.add_typer(backfill.app)  # backfill
app.add_typer(extract.app)  # extract
app.add_typer(demo.app)  # demo
app.add_typer(operate.app)  # run, status
app.add_typer(market.app, name="market")  # market refresh | status | analyse
app.add_typer(brief.app)  # brief, serve
app.add_typer(schedule.app, name="schedule")  # schedule run | list
app.add_typer(store.app, name="db")  # db upgrade | current | seed
app.add_typer(worker.app)  # worker, enqueue


def main() -> None:
    """Console-script entry point."""
    app(prog_name="chipwire")
