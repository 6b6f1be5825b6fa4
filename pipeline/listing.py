"""Read-side queries behind the CLI's listings (kept out of cli.py so reports can reuse them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from chipwire.models import Base, Company, Deal, DealSource
from chipwire.pipeline.db import store_errors
from chipwire.pipeline.errors import StoreError
from chipwire.pipeline.registry import COMPANY_KINDS


def list_companies(engine: Engine, *, kind: str | None = None) -> list[dict[str, Any]]:
    """Companies ordered by kind then name, each with its aliases and product families."""
    if kind is not None and kind not in COMPANY_KINDS:
        raise StoreError(f"unknown kind {kind!r} (known: {', '.join(COMPANY_KINDS)})")
    query = (
        select(Company)
        .options(selectinload(Company.aliases), selectinload(Company.products))
        .order_by(Company.kind, Company.name)
    )
    if kind is not None:
        query = query.where(Company.kind == kind)
    with store_errors(engine), Session(engine) as session:
        return [
            {
                "slug": company.slug,
                "name": company.name,
                "kind": company.kind,
                "symbol": company.symbol,
                "exchange": company.exchange,
                "aliases": sorted(a.alias for a in company.aliases if a.alias != company.name),
                "products": sorted({p.family for p in company.products}),
            }
            for company in session.scalars(query)
        ]


def list_sources(engine: Engine, sources: list[Any]) -> list[dict[str, Any]]:
    """Each configured source, then every other source the store knows (a demo's sample
    sources, a removed file's), with its article count and its last crawl's outcome."""
    from sqlalchemy import func

    from chipwire.models import Article, JobRun, Source

    with store_errors(engine), Session(engine) as session:
        known = {row.name: row for row in session.scalars(select(Source).order_by(Source.name))}
        articles = dict(
            session.execute(
                select(Article.source_id, func.count()).group_by(Article.source_id)
            ).all()
        )
        entries = [
            (spec.name, spec.kind, spec.url, spec.verified, spec.enabled, True) for spec in sources
        ]
        configured = {spec.name for spec in sources}
        entries += [
            (row.name, row.kind, row.url, row.verified, row.enabled, False)
            for name, row in known.items()
            if name not in configured
        ]
        rows = []
        for name, kind, url, verified, enabled, in_config in entries:
            source = known.get(name)
            last = None
            if source is not None:
                last = session.scalars(
                    select(JobRun)
                    .where(JobRun.source_id == source.id, JobRun.job == "crawl")
                    .order_by(JobRun.id.desc())
                    .limit(1)
                ).first()
            counts = last.counts if last is not None else {}
            rows.append(
                {
                    "name": name,
                    "kind": kind,
                    "url": url,
                    "verified": verified,
                    "enabled": enabled,
                    "configured": in_config,
                    "articles": articles.get(source.id, 0) if source is not None else 0,
                    "last_run": last.started_at.isoformat(timespec="seconds") if last else None,
                    "status": last.status if last else None,
                    "last_stored": counts.get("stored"),
                    "zero_items": bool(last is not None and counts.get("items_found") == 0),
                    "last_error": last.error if last else None,
                }
            )
        return rows


def list_candidates(engine: Engine, limit: int = 200) -> list[dict[str, Any]]:
    """Unregistered organisations by number of articles naming them, with an example."""
    from sqlalchemy import func

    from chipwire.models import OrgCandidate

    with store_errors(engine), Session(engine) as session:
        rows = session.execute(
            select(
                func.min(OrgCandidate.name).label("name"),
                func.count(func.distinct(OrgCandidate.article_id)).label("articles"),
                func.min(OrgCandidate.context).label("context"),
                func.min(OrgCandidate.sentence).label("example"),
            )
            .group_by(OrgCandidate.name_key)
            .order_by(func.count(func.distinct(OrgCandidate.article_id)).desc(), "name")
            .limit(limit)
        ).all()
    return [dict(row._mapping) for row in rows]


def table_counts(engine: Engine) -> dict[str, int]:
    """Row count of every table, in schema order: the store's one-glance summary."""
    with store_errors(engine), engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


def company_counts_by_kind(engine: Engine) -> dict[str, int]:
    """Registry companies in the store per kind, most first."""
    with store_errors(engine), engine.connect() as connection:
        rows = connection.execute(
            select(Company.kind, func.count()).group_by(Company.kind).order_by(func.count().desc())
        )
        return {kind: count for kind, count in rows}


def list_deals(engine: Engine, *, limit: int = 25) -> list[dict[str, Any]]:
    """The deals reported most often, each with its parties in order and their roles."""
    reports = (
        select(DealSource.deal_id, func.count().label("reports"))
        .group_by(DealSource.deal_id)
        .subquery()
    )
    with store_errors(engine), Session(engine) as session:
        rows = session.execute(
            select(Deal, reports.c.reports)
            .join(reports, reports.c.deal_id == Deal.id)
            .options(selectinload(Deal.parties))
            .order_by(reports.c.reports.desc(), Deal.first_reported_at.desc(), Deal.id)
            .limit(limit)
        ).all()
        return [
            {
                "type": deal.deal_type,
                "parties": [
                    (party.name, party.role)
                    for party in sorted(deal.parties, key=lambda p: p.position)
                ],
                "value_usd": deal.value_usd,
                "status": deal.status,
                "background": deal.is_background,
                "year": deal.year,
                "reports": count,
            }
            for deal, count in rows
        ]
