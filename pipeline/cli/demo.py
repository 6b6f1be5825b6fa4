"""``chipwire demo``: the whole chain on the bundled sample site."""

from __future__ import annotations

import typer
from rich.table import Table

from chipwire.pipeline.cli.collect import print_crawl
from chipwire.pipeline.cli.common import console, settings_from
from chipwire.pipeline.demo import demo_job

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
        f"demo store in {summary['data_dir']} at revision {summary['revision']}",
        highlight=False,
        soft_wrap=True,
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
    deals = Table(
        "type", "parties (roles)", "value (USD)", "status", "reports", title="deals reported most"
    )
    for deal in summary["deals"]:
        status = deal["status"]
        if deal["background"]:
            year = deal["year"]
            status += f", background ({year})" if year else ", background"
        deals.add_row(
            deal["type"],
            # one party a line: a round with ten investors must not squeeze the other rows
            "\n".join(f"{name} ({role})" for name, role in deal["parties"]),
            f"{deal['value_usd']:,}" if deal["value_usd"] is not None else "",
            status,
            str(deal["reports"]),
        )
    console.print(deals)
    market = summary["market"]
    console.print(
        f"prices: {market['bars_added']} bars of SAMPLE DATA (seeded random walks, not real "
        f"prices) for {market['priced']} symbols; {market['analysis']['reactions']} deal "
        "reactions computed",
        highlight=False,
    )
    cars = Table(
        "deal type",
        "reactions",
        "deals",
        "avg CAR [-1,+1]",
        "avg CAR [0,+5]",
        title="average abnormal return by deal type (SAMPLE prices)",
    )
    for row in summary["car_by_type"]:
        cars.add_row(
            row["deal_type"],
            str(row["reactions"]),
            str(row["deals"]),
            f"{row['avg_car_m1_p1']:+.2%}",
            f"{row['avg_car_0_p5']:+.2%}",
        )
    console.print(cars)
    console.print(
        f"look around: chipwire --config {summary['config']} status   (or sql, sources, brief)",
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"briefing {summary['brief']['week']}: {summary['brief']['page']}",
        highlight=False,
        soft_wrap=True,
    )
