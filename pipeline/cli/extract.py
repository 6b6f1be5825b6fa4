"""Extraction command: extract (from the store, or --json from files: the scoring contract)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from chipwire.pipeline.cli.common import console, err_console, settings_from
from chipwire.pipeline.config import Settings
from chipwire.pipeline.errors import ChipwireError
from chipwire.pipeline.jobs import extract_job

app = typer.Typer()


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
    all_articles: Annotated[
        bool, typer.Option("--all", help="Re-extract every article, not only new or changed.")
    ] = False,
    batch_size: Annotated[int, typer.Option(help="Documents per nlp.pipe batch.", min=1)] = 32,
    processes: Annotated[
        int, typer.Option(help="Worker processes, each analysing a share of the articles.", min=1)
    ] = 1,
) -> None:
    """Extract companies, deals and benchmark claims from new or changed articles in the store.

    With --json FILE...: read plain-text files and print one JSON object per file instead
    (the scoring contract), without touching the store.
    Example: chipwire extract --all
    """
    settings = settings_from(ctx)
    if as_json:
        _extract_files(settings, files or [], batch_size)
        return
    if files:
        raise typer.BadParameter("FILE arguments need --json")
    counts = extract_job(
        settings,
        all_articles=all_articles,
        batch_size=batch_size,
        processes=processes,
        show_progress=sys.stderr.isatty(),
    )
    console.print(
        f"extracted {counts['articles']} articles: {counts['mentions']} company mentions, "
        f"{counts['deals']} deal reports, {counts['benchmarks']} benchmark claims, "
        f"{counts['candidates']} unregistered organisations",
        highlight=False,
    )


def _extract_files(settings: Settings, files: list[Path], batch_size: int) -> None:
    from chipwire.pipeline.extract.contract import document_json
    from chipwire.pipeline.extract.nlp import build_nlp, clip

    if not files:
        raise typer.BadParameter("give at least one file with --json")
    texts = []
    for path in files:
        try:
            text, cut = clip(path.read_text(encoding="utf-8", errors="replace"))
        except OSError as exc:
            raise ChipwireError(f"{path}: cannot read: {exc.strerror}") from exc
        if cut:
            err_console.print(
                f"warning: {path}: only its first {len(text):,} characters are read", soft_wrap=True
            )
        texts.append(text)
    nlp = build_nlp(settings.registry_path, model=settings.spacy_model)
    for path, doc in zip(files, nlp.pipe(texts, batch_size=batch_size), strict=True):
        sys.stdout.write(json.dumps(document_json(nlp, doc, str(path)), ensure_ascii=False) + "\n")
