"""Briefing commands: ``brief`` renders a week, ``serve`` lets a browser read the archive."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated

import typer

from chipwire.pipeline.cli.common import console, settings_from
from chipwire.pipeline.jobs import brief_job

app = typer.Typer()


@app.command("brief")
def brief_command(
    ctx: typer.Context,
    week: Annotated[
        str | None,
        typer.Option(help="ISO week, e.g. 2026-W47 (default: the week of the newest article)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Archive directory (default: DATA_DIR/briefings)."),
    ] = None,
) -> None:
    """Render a week's briefing as one self-contained HTML file and update the archive index.

    Weeks run Monday to Sunday in the configured time zone. Example: chipwire brief --week 2026-W47
    """
    counts = brief_job(settings_from(ctx), week=week, out=out)
    console.print(f"briefing {counts['week']}: {counts['page']}", highlight=False, soft_wrap=True)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """One line per request would drown the URL the user needs."""


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.", min=0, max=65535)] = 8765,
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Archive directory (default: DATA_DIR/briefings)."),
    ] = None,
) -> None:
    """Serve the briefing archive on 127.0.0.1 for reading in a browser (Ctrl-C stops).

    Example: chipwire serve --port 8765
    """
    root = directory or settings_from(ctx).data_dir / "briefings"
    if not root.is_dir():
        raise typer.BadParameter(f"{root}: no briefings yet; run `chipwire brief` first")
    handler = functools.partial(_Quiet, directory=str(root))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        host, bound = server.server_address[:2]
        console.print(f"serving {root} at http://{host}:{bound}/ (Ctrl-C to stop)", highlight=False)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            console.print("stopped")
