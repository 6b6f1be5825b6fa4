"""Collection commands: crawl, sources, new-source, fixtures."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chipwire.pipeline.cli.common import console, err_console, print_jsonl, settings_from
from chipwire.pipeline.cli.crawlview import (
    LiveProgress,
    crawl_logging,
    print_crawl,
    print_json,
)
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
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Show Scrapy's log (default: chipwire's warnings)."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per source on stdout, no table.")
    ] = False,
) -> None:
    """Crawl sources into the store and print per-source counts.

    On a terminal a live table shows each source's pages and stored articles.

    Example: chipwire crawl groq-newsroom nextplatform -s DOWNLOAD_TIMEOUT=10
    """
    settings = settings_from(ctx)
    overrides = dict(_parse_setting(item) for item in setting or [])
    live = LiveProgress() if console.is_terminal and not as_json else None
    with crawl_logging(verbose) as log_overrides, live.shown() if live else nullcontext():
        results = crawl_job(
            settings,
            names=names or [],
            tags=tag or [],
            overrides={**log_overrides, **overrides},
            refetch=refetch,
            progress=live,
        )
    if as_json:
        print_json(results)
    else:
        print_crawl(results)


def _parse_setting(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise typer.BadParameter(f"expected KEY=VALUE, got {item!r}")
    return key.strip(), value


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
    from chipwire.spiders.sources import scan_sources

    settings = settings_from(ctx)
    registry, problems = scan_sources(settings.sources_path)
    specs = list(registry)
    if markdown:
        sys.stdout.write("| source | kind | articles | verified | start URL |\n")
        sys.stdout.write("| --- | --- | --- | --- | --- |\n")
        for spec in specs:
            verified = "yes" if spec.verified else "no"
            sys.stdout.write(
                f"| `{spec.name}` | {spec.kind} | {spec.article_kind} | {verified} | {spec.url} |\n"
            )
        _print_problems(problems, err_console)
        return
    engine = open_store(settings)
    rows = list_sources(engine, specs)
    engine.dispose()
    if as_json:
        template = dict.fromkeys(rows[0] if rows else ("name",))
        print_jsonl(
            rows
            + [
                {
                    **template,
                    "name": p.name,
                    "configured": True,
                    "problem": str(p),
                    "path": str(p.path),
                }
                for p in problems
            ]
        )
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
            escape(row["last_error"] or ""),
        )
    console.print(table)
    console.print(f"{len(rows)} sources in {settings.sources_path}", highlight=False)
    _print_problems(problems, console)


def _print_problems(problems: list[Any], out: Console) -> None:
    """One line per source file left out: it is not crawled until fixed."""
    for problem in problems:
        out.print(f"[bold red]problem:[/] {escape(str(problem))} (not crawled)", highlight=False)


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
