"""The ``chipwire db`` group: create, migrate and seed the SQL store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chipwire.pipeline.cli.common import console, settings_from
from chipwire.pipeline.config import mask_url
from chipwire.pipeline.db import current_revision, head_revision, make_engine, upgrade
from chipwire.pipeline.jobs import seed_job

app = typer.Typer(help="Create, migrate and seed the SQL store.", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Create the store or migrate it to the newest schema; safe to repeat.

    Example: chipwire db upgrade
    """
    settings = settings_from(ctx)
    engine = make_engine(settings.url)
    before, after = upgrade(engine, revision)
    engine.dispose()
    where = mask_url(settings.url)
    if before == after:
        console.print(f"{where}: already at revision {after}", highlight=False)
    else:
        console.print(f"{where}: migrated {before or '(empty)'} -> {after}", highlight=False)


@app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the store's schema revision and whether it is up to date.

    Example: chipwire db current
    """
    settings = settings_from(ctx)
    engine = make_engine(settings.url, create_dir=False)
    current = current_revision(engine)
    engine.dispose()
    head = head_revision()
    state = "up to date" if current == head else "needs `chipwire db upgrade`"
    console.print(
        f"{mask_url(settings.url)}: revision {current or '(empty)'}, head {head}: {state}",
        highlight=False,
    )


@app.command("seed")
def db_seed(
    ctx: typer.Context,
    registry: Annotated[
        Path | None, typer.Option(help="Registry YAML file (default: settings.registry_path).")
    ] = None,
) -> None:
    """Upsert the company registry (companies, aliases, products) into the store; idempotent.

    Example: chipwire db seed --registry my-companies.yaml
    """
    settings = settings_from(ctx)
    counts = seed_job(settings, registry=registry)
    console.print(
        f"seeded {registry or settings.registry_path}: companies +{counts.companies_added} "
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
