"""Extraction command: extract (registered on the main app)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli import _settings, app
from pipeline.errors import ChipwireError


@app.command("extract")
def extract_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None, typer.Argument(help="Plain-text files (with --json).")
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Read FILEs, print one JSON object per file; no store."),
    ] = False,
) -> None:
    """Extract companies, deals and benchmark claims.

    Example: chipwire extract --json article1.txt article2.txt
    """
    if not as_json:
        raise typer.BadParameter("storing extractions is not built yet; use --json FILE...")
    from pipeline.extract.contract import document_json
    from pipeline.extract.nlp import build_nlp

    settings = _settings(ctx)
    if not files:
        raise typer.BadParameter("give at least one file")
    texts = []
    for path in files:
        try:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError as exc:
            raise ChipwireError(f"{path}: cannot read: {exc.strerror}") from exc
    nlp = build_nlp(settings.registry_path)
    for path, doc in zip(files, nlp.pipe(texts, batch_size=16), strict=True):
        sys.stdout.write(json.dumps(document_json(nlp, doc, str(path)), ensure_ascii=False) + "\n")
