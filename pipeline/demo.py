"""``chipwire demo``: the whole chain on the bundled sample site, in its own data directory.

Not a scheduled job: it serves the sample site on 127.0.0.1 for the length of one crawl
and loads synthetic prices, to show the chain working on a machine with no internet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from chipwire.pipeline.config import DATABASE_FILE, Settings
from chipwire.pipeline.db import make_engine, upgrade
from chipwire.pipeline.jobs import (
    SAMPLE_PRICES,
    brief_job,
    crawl_job,
    extract_job,
    market_refresh_job,
    seed_job,
)
from chipwire.pipeline.listing import company_counts_by_kind, list_deals, table_counts

DEMO_DIR = "demo"


def demo_settings(settings: Settings) -> Settings:
    """The demo's own installation: a SQLite store, the sample sources and the sample
    prices under ``DATA_DIR/demo``, so sample data never lands in a configured (team)
    store; its ``chipwire.toml`` lets every command be pointed at it."""
    home = settings.data_dir / DEMO_DIR
    return settings.model_copy(
        update={
            "data_dir": home,
            "database_url": f"sqlite:///{home / DATABASE_FILE}",
            "sources_path": home / "sample-sources",
            "prices_csv": SAMPLE_PRICES,
        }
    )


def demo_job(settings: Settings) -> dict[str, Any]:
    """The whole chain on the bundled sample site, in the demo's own data directory:
    migrate, seed, serve the site, crawl, extract, sample prices, event studies, briefing."""
    from chipwire.spiders.samplesite import DEMO_PORT, SampleSite

    settings = demo_settings(settings)
    engine = make_engine(settings.url)
    before, after = upgrade(engine)
    engine.dispose()
    config = _write_demo_config(settings)
    seeded = seed_job(settings)
    with SampleSite(port=DEMO_PORT) as site:
        site.write_sources(settings.sources_path)
        # Loopback needs no politeness delay; everything else is the production setup.
        crawled = crawl_job(
            settings, overrides={"AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING"}
        )
    extracted = extract_job(settings, show_progress=False)
    # Synthetic prices for the sample's listed companies (no network here): labelled as such.
    market = market_refresh_job(settings)
    brief = brief_job(settings, busiest=True)
    engine = make_engine(settings.url)
    summary = {
        "data_dir": str(settings.data_dir),
        "config": str(config),
        "revision_before": before,
        "revision": after,
        "seed": seeded,
        "crawl": crawled,
        "extract": extracted,
        "market": market,
        "brief": brief,
        "tables": table_counts(engine),
        "companies_by_kind": company_counts_by_kind(engine),
        "deals": list_deals(engine),
        "car_by_type": _car_by_type(engine),
    }
    engine.dispose()
    return summary


def _write_demo_config(settings: Settings) -> Path:
    """``DATA_DIR/demo/chipwire.toml``: `chipwire --config` it to look at the demo's store."""
    path = settings.data_dir / "chipwire.toml"
    lines = [
        "# Written by `chipwire demo`: its own store, sample sources and sample prices.",
        'data_dir = "."',
        f"database_url = {json.dumps(settings.url)}",
        'sources_path = "sample-sources"',
        f"prices_csv = {json.dumps(str(SAMPLE_PRICES))}",
        f"registry_path = {json.dumps(str(settings.registry_path))}",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _car_by_type(engine: Engine) -> list[dict[str, Any]]:
    from chipwire.pipeline.market.analyse import car_by_deal_type

    with Session(engine) as session:
        return car_by_deal_type(session)
