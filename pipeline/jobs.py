"""One function per pipeline stage; each records itself in ``job_run``.

Jobs take a session factory and explicit options and return their counts, so
the CLI, the scheduler and tests call exactly the same code.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from chipwire.models import Base, Company, JobRun, utcnow
from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import (
    make_engine,
    require_current,
    session_factory,
    store_errors,
    upgrade,
)
from chipwire.pipeline.registry import load_registry
from chipwire.pipeline.seed import SeedCounts, seed_registry


@contextmanager
def recorded(
    factory: sessionmaker[Session], job: str, *, source_id: int | None = None
) -> Iterator[dict[str, Any]]:
    """Record a job run: a 'running' row first (visible if the process dies), then the outcome.

    The body fills the yielded dict with its counts.
    """
    with factory.begin() as session:
        run = JobRun(job=job, source_id=source_id, status="running", counts={})
        session.add(run)
        session.flush()
        run_id = run.id
    counts: dict[str, Any] = {}
    try:
        yield counts
    except BaseException as exc:
        with factory.begin() as session:
            row = session.get_one(JobRun, run_id)
            row.status, row.finished_at, row.counts = "failed", utcnow(), dict(counts)
            row.error = "".join(traceback.format_exception_only(exc)).strip()[:4000]
        raise
    with factory.begin() as session:
        row = session.get_one(JobRun, run_id)
        row.status, row.finished_at, row.counts = "succeeded", utcnow(), dict(counts)


def open_store(settings: Settings) -> Engine:
    """Engine of a store that is migrated to this code's schema, or a StoreError saying why not."""
    engine = make_engine(settings.url)
    require_current(engine)
    return engine


def seed_job(settings: Settings) -> SeedCounts:
    """Load the registry file and sync it into the store."""
    registry = load_registry(settings.registry_path)
    engine = open_store(settings)
    factory = session_factory(engine)
    with store_errors(engine), recorded(factory, "seed") as counts:
        with factory.begin() as session:
            result = seed_registry(session, registry)
        counts.update(result.as_dict())
    engine.dispose()
    return result


def table_counts(engine: Engine) -> dict[str, int]:
    """Row count of every table, in schema order: the store's one-glance summary."""
    with store_errors(engine), engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


def company_counts_by_kind(engine: Engine) -> dict[str, int]:
    with store_errors(engine), engine.connect() as connection:
        rows = connection.execute(
            select(Company.kind, func.count()).group_by(Company.kind).order_by(func.count().desc())
        )
        return {kind: count for kind, count in rows}


def demo_job(settings: Settings) -> dict[str, Any]:
    """The main job on the bundled sample site: migrate, seed, serve the site, crawl, extract."""
    from chipwire.pipeline.crawl import crawl_job
    from chipwire.spiders.samplesite import DEMO_PORT, SampleSite

    engine = make_engine(settings.url)
    before, after = upgrade(engine)
    engine.dispose()
    seeded = seed_job(settings)
    with SampleSite(port=DEMO_PORT) as site:
        sources = site.write_sources(settings.data_dir / "sample-sources")
        crawl_settings = settings.model_copy(update={"sources_path": sources})
        # Loopback needs no politeness delay; everything else is the production setup.
        crawled = crawl_job(
            crawl_settings, [], overrides={"AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING"}
        )
    extracted = extract_job(settings, show_progress=False)
    engine = make_engine(settings.url)
    summary = {
        "revision_before": before,
        "revision": after,
        "seed": seeded,
        "crawl": crawled,
        "extract": extracted,
        "tables": table_counts(engine),
        "companies_by_kind": company_counts_by_kind(engine),
    }
    engine.dispose()
    return summary


def extract_job(
    settings: Settings,
    *,
    all_articles: bool = False,
    batch_size: int = 32,
    processes: int = 1,
    show_progress: bool = True,
) -> dict[str, int]:
    """Extract mentions, deals, claims and candidates from new or changed articles."""
    from chipwire.pipeline.extract.nlp import build_nlp
    from chipwire.pipeline.extract.run import extract_articles

    engine = open_store(settings)
    factory = session_factory(engine)
    nlp = build_nlp(settings.registry_path, model=settings.spacy_model)
    with store_errors(engine), recorded(factory, "extract") as counts:
        counts.update(
            extract_articles(
                engine,
                factory,
                nlp,
                all_articles=all_articles,
                batch_size=batch_size,
                processes=processes,
                show_progress=show_progress,
            )
        )
    engine.dispose()
    return counts
