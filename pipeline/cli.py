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

from pipeline import __version__
from pipeline.config import Settings, find_config_file, load_settings, mask_url
from pipeline.db import current_revision, head_revision, make_engine, upgrade
from pipeline.errors import ChipwireError
from pipeline.jobs import demo_job, open_store, seed_job
from pipeline.sqlquery import run_readonly

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
) -> None:
    """List the companies in the store with symbols, aliases and products.

    Example: chipwire companies --kind chip_designer
    """
    from pipeline.listing import list_companies

    settings = _settings(ctx)
    engine = open_store(settings)
    rows = list_companies(engine, kind=kind)
    engine.dispose()
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
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
    from pipeline.crawl import crawl_job

    settings = _settings(ctx)
    overrides = dict(_parse_setting(item) for item in setting or [])
    results = crawl_job(settings, names or [], tags=tag or [], overrides=overrides, refetch=refetch)
    _print_crawl(results)


def _parse_setting(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise typer.BadParameter(f"expected KEY=VALUE, got {item!r}")
    return key.strip(), value


def _print_crawl(results: list[Any]) -> None:
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
    from pipeline.listing import list_sources
    from spiders.sources import load_sources

    settings = _settings(ctx)
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
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table("name", "kind", "verified", "articles", "last run", "status", "last error")
    for row in rows:
        status = row["status"] or "never run"
        if row["zero_items"]:
            status = f"[bold red]ZERO ITEMS[/] ({status})"
        table.add_row(
            row["name"],
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
    from spiders.scaffold import new_source

    settings = _settings(ctx)
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
    from spiders.addon import user_agent
    from spiders.golden import write_expected
    from spiders.record import record
    from spiders.sources import load_sources

    settings = _settings(ctx)
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


@app.command("demo")
def demo_command(ctx: typer.Context) -> None:
    """Run the main job end to end on the bundled sample site: store, registry, crawl.

    Serves the sample site on 127.0.0.1, crawls it with the real spiders into the
    store and prints a summary. Example: chipwire demo
    """
    settings = _settings(ctx)
    summary = demo_job(settings)
    console.print(
        f"store {mask_url(settings.url)} at revision {summary['revision']}", highlight=False
    )
    _print_crawl(summary["crawl"])
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
