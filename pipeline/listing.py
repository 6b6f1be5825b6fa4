"""Read-side queries behind the CLI's listings (kept out of cli.py so reports can reuse them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from models import Company
from pipeline.db import store_errors
from pipeline.errors import StoreError
from pipeline.registry import COMPANY_KINDS


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
