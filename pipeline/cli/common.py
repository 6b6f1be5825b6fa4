"""What every command module shares: the consoles, the settings of this invocation, JSON lines.

Public on purpose: a new command group imports these instead of reaching into another
group's module.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console

from chipwire.pipeline.config import Settings, load_settings

console = Console()
err_console = Console(stderr=True)


def settings_from(ctx: typer.Context) -> Settings:
    """The settings for this invocation: `--config FILE` of the root command, environment, file.

    ``debug = true`` in the settings switches on tracebacks like ``--debug`` does.
    """
    root = ctx.find_root()
    obj = root.obj if isinstance(root.obj, dict) else {}
    settings = load_settings(obj.get("config"))
    if settings.debug:
        obj["debug"] = True
    return settings


def print_jsonl(rows: list[dict[str, Any]]) -> None:
    """One JSON object per line: what `--json` listings print, for piping into jq."""
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
