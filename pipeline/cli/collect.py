"""Collection commands: crawl, sources, new-source, fixtures."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from chipwire.pipeline.cli.common import console, err_console, print_jsonl, settings_from
from chipwire.pipeline.db import open_store
from chipwire.pipeline.jobs import crawl_job
from chipwire.pipeline.listing import list_sources

app = typer.Typer()


@app.command("crawl")
def crawl_command(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None, typer.Argument(help="Source names (default: all enabled sources).")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option(help="Also crawl sources with this tag.")] = None,
    refetch: Annotated[
        bool, typer.Option(help="Fetch articles already in the store again.")
    ] = False,
    setting: Annotated[
        list[str] | None,
        typer.Option("--setting", "-s", help="Scrapy setting override KEY=VALUE (repeatable)."),
    ] = None,
) -> None:
    """Crawl sources into the store and print per-source counts.

    Example: chipwire crawl groq-newsroom nextplatform -s DOWNLOAD_TIMEOUT=10
    """
    settings = settings_from(ctx)
    overrides = dict(_parse_setting(item) for item in setting or [])
    results = crawl_job(
        settings, names=names or [], tags=tag or [], overrides=overrides, refetch=refetch
    )
    print_crawl(results)


def _parse_setting(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise typer.BadParameter(f"expected KEY=VALUE, got {item!r}")
    return key.strip(), value


def print_crawl(results: list[Any]) -> None:
    """The per-source crawl table, then one warning line per source that failed."""
    table = Table(
        "source",
        "status",
        "found",
        "fetched",
        "stored",
        "linked dups",
        "dropped",
        "errors",
        "s",
        title="crawl",
    )
    for result in results:
        counts = result.counts
        dropped = ", ".join(f"{k} {v}" for k, v in sorted(counts.get("dropped", {}).items()))
        errors = {**counts.get("http_errors", {}), **counts.get("network_errors", {})}
        table.add_row(
            result.source,
            result.status,
            str(counts.get("items_found", 0)),
            str(counts.get("fetched", 0)),
            str(counts.get("stored", 0)),
            str(counts.get("duplicates_linked", 0)),
            dropped,
            ", ".join(f"{k} {v}" for k, v in sorted(errors.items())),
            str(counts.get("duration_s", "")),
        )
    console.print(table)
    for result in results:
        if result.error:
            err_console.print(
                f"[yellow]warning:[/] {result.source}: {result.error}", highlight=False
            )


@app.command("sources")
def sources_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="The source table of docs/sources.md (no store).")
    ] = False,
) -> None:
    """List sources with verification, last run, article counts and last error.

    Example: chipwire sources
    """
    from chipwire.spiders.sources import load_sources

    settings = settings_from(ctx)
    specs = list(load_sources(settings.sources_path))
    if markdown:
        sys.stdout.write("| source | kind | articles | verified | start URL |\n")
        sys.stdout.write("| --- | --- | --- | --- | --- |\n")
        for spec in specs:
            verified = "yes" if spec.verified else "no"
            sys.stdout.write(
                f"| `{spec.name}` | {spec.kind} | {spec.article_kind} | {verified} | {spec.url} |\n"
            )
        return
    engine = open_store(settings)
    rows = list_sources(engine, specs)
    engine.dispose()
    if as_json:
        print_jsonl(rows)
        return
    table = Table("name", "kind", "verified", "articles", "last run", "status", "last error")
    for row in rows:
        status = row["status"] or "never run"
        if row["zero_items"]:
            status = f"[bold red]ZERO ITEMS[/] ({status})"
        table.add_row(
            row["name"] if row["configured"] else f"{row['name']} (not configured)",
            row["kind"],
            "yes" if row["verified"] else "no",
            str(row["articles"]),
            row["last_run"] or "",
            status,
            row["last_error"] or "",
        )
    console.print(table)
    console.print(f"{len(rows)} sources in {settings.sources_path}", highlight=False)


@app.command("new-source")
def new_source_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Source name: lowercase, digits, hyphens.")],
    kind: Annotated[str, typer.Option(help="rss, sitemap, listing, page or youtube.")],
    url: Annotated[str, typer.Option(help="Start URL: feed, sitemap, listing page, ...")],
    article_kind: Annotated[
        str, typer.Option(help="article, press_release, transcript or filing.")
    ] = "article",
    tag: Annotated[list[str] | None, typer.Option(help="Tag (repeatable).")] = None,
    no_relevance_filter: Annotated[
        bool, typer.Option(help="Keep every article (vendor newsrooms).")
    ] = False,
    fixtures_dir: Annotated[Path, typer.Option(help="Where fixture folders live.")] = Path(
        "tests/fixtures/sources"
    ),
) -> None:
    """Write a new source file and its fixture folder; see docs/adding-a-source.md.

    Example: chipwire new-source etched-blog --kind rss --url https://www.etched.com/feed.xml
    """
    from chipwire.spiders.devtools.scaffold import new_source

    settings = settings_from(ctx)
    path, folder = new_source(
        name,
        kind,
        url,
        settings.sources_path,
        fixtures_dir,
        article_kind=article_kind,
        tags=tag or [],
        relevance_filter=not no_relevance_filter,
    )
    console.print(f"wrote {path} and {folder}/", highlight=False)
    console.print(f"next: chipwire fixtures {name}   (records fixtures; needs the network)")


@app.command("fixtures")
def fixtures_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Source name.")],
    offline: Annotated[
        bool, typer.Option(help="Only rewrite expected.json from the stored documents.")
    ] = False,
    fixtures_dir: Annotated[Path, typer.Option(help="Where fixture folders live.")] = Path(
        "tests/fixtures/sources"
    ),
) -> None:
    """Record (or, with --offline, re-derive) a source's golden-test fixtures.

    Example: chipwire fixtures groq-newsroom
    """
    from chipwire.spiders.addon import user_agent
    from chipwire.spiders.devtools.golden import write_expected
    from chipwire.spiders.devtools.record import record
    from chipwire.spiders.sources import load_sources

    settings = settings_from(ctx)
    source = load_sources(settings.sources_path).get(name)
    folder = fixtures_dir / name
    if offline:
        result = write_expected(source, folder)
    else:
        result = record(source, folder, user_agent(settings.crawl_contact))
    article = result["article"] or {}
    console.print(
        f"{folder}/expected.json: {len(result['links'])} links, article "
        f"{article.get('title')!r} ({article.get('words', 0)} words)",
        highlight=False,
    )
