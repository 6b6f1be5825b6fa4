"""``chipwire demo``: the whole chain on the bundled sample site."""

from __future__ import annotations

import typer
from rich.table import Table

from chipwire.pipeline.cli.collect import print_crawl
from chipwire.pipeline.cli.common import console, settings_from
from chipwire.pipeline.config import mask_url
from chipwire.pipeline.jobs import demo_job

app = typer.Typer()


@app.command("demo")
def demo_command(ctx: typer.Context) -> None:
    """Run the main job end to end on the bundled sample site: store, registry, crawl, extract.

    Serves the sample site on 127.0.0.1, crawls it with the real spiders into the
    store and prints a summary. Example: chipwire demo
    """
    settings = settings_from(ctx)
    summary = demo_job(settings)
    console.print(
        f"store {mask_url(settings.url)} at revision {summary['revision']}", highlight=False
    )
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
