"""Writing the company registry into the store.

Seeding is a sync, not an append: it is computed as a plan against what the
store holds (so re-running changes nothing and reports zero changes) and then
applied with upserts.  Companies are never deleted by a seed, because
mentions and deals may point at them; their aliases and products are synced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from chipwire.models import Company, CompanyAlias, Product
from chipwire.pipeline.registry import CompanyEntry, Registry, name_key
from chipwire.pipeline.upsert import upsert

_COMPANY_FIELDS = (
    "name",
    "legal_name",
    "kind",
    "symbol",
    "exchange",
    "country",
    "website",
    "description",
)


@dataclass
class SeedCounts:
    """What a seed changed; all zero on a repeated run."""

    companies_added: int = 0
    companies_updated: int = 0
    companies_unchanged: int = 0
    aliases_added: int = 0
    aliases_removed: int = 0
    aliases_changed: int = 0
    products_added: int = 0
    products_removed: int = 0
    products_changed: int = 0
    not_in_registry: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "not_in_registry"} | {
            "not_in_registry": len(self.not_in_registry)
        }


def _company_row(entry: CompanyEntry) -> dict[str, Any]:
    return {"slug": entry.slug} | {name: getattr(entry, name) for name in _COMPANY_FIELDS}


def _alias_rows(entry: CompanyEntry, company_id: int) -> list[dict[str, Any]]:
    return [
        {
            "company_id": company_id,
            "alias": surface,
            "alias_key": name_key(surface),
            "case_sensitive": surface in entry.case_sensitive,
        }
        for surface in entry.names
    ]


def _product_rows(entry: CompanyEntry, company_id: int) -> list[dict[str, Any]]:
    return [
        {
            "company_id": company_id,
            "family": product.name,
            "name": surface,
            "name_key": name_key(surface),
        }
        for product in entry.products
        for surface in product.names
    ]


def _sync(
    session: Session,
    model: type[CompanyAlias] | type[Product],
    key_column: str,
    wanted: list[dict[str, Any]],
    company_ids: list[int],
) -> tuple[int, int, int]:
    """Make the rows of ``company_ids`` equal ``wanted``; returns (added, removed, changed)."""
    table = model.__table__
    wanted_by_key = {row[key_column]: row for row in wanted}
    owners = set(company_ids)
    existing = {
        row[key_column]: row
        for row in session.execute(select(table)).mappings()
        if row["company_id"] in owners or row[key_column] in wanted_by_key
    }
    stale = [key for key, row in existing.items() if key not in wanted_by_key]
    if stale:
        session.execute(delete(table).where(table.c[key_column].in_(stale)))
    added = [row for key, row in wanted_by_key.items() if key not in existing]
    changed = [
        row
        for key, row in wanted_by_key.items()
        if key in existing and any(existing[key][c] != v for c, v in row.items())
    ]
    upsert(session, table, added + changed, key=[key_column])
    return len(added), len(stale), len(changed)


def _link_parents(
    session: Session,
    registry: Registry,
    ids: dict[str, int],
    existing: dict[str, Any],
    written: list[dict[str, Any]],
) -> int:
    """Point each bought company at its parent, once every company has an id; returns how
    many companies this changed that were not already counted as added or updated."""
    counted = {row["slug"] for row in written}
    changes = []
    for entry in registry.companies:
        wanted = ids[entry.parent] if entry.parent else None
        current = existing[entry.slug]["parent_id"] if entry.slug in existing else None
        if wanted != current:
            changes.append((entry.slug, wanted))
    for slug, parent_id in changes:
        session.execute(update(Company).where(Company.slug == slug).values(parent_id=parent_id))
    return sum(slug not in counted for slug, _ in changes)


def seed_registry(session: Session, registry: Registry) -> SeedCounts:
    """Upsert every registry company with its aliases and products into the store."""
    counts = SeedCounts()
    table = Company.__table__
    existing = {row["slug"]: row for row in session.execute(select(table)).mappings()}
    rows = [_company_row(entry) for entry in registry.companies]
    new = [row for row in rows if row["slug"] not in existing]
    changed = [
        row
        for row in rows
        if row["slug"] in existing and any(existing[row["slug"]][c] != row[c] for c in row)
    ]
    counts.companies_added = len(new)
    counts.companies_updated = len(changed)
    counts.companies_unchanged = len(rows) - len(new) - len(changed)
    upsert(session, table, new + changed, key=["slug"])

    ids = dict(session.execute(select(Company.slug, Company.id)).all())
    counts.companies_updated += _link_parents(session, registry, ids, existing, new + changed)
    wanted_slugs = {entry.slug for entry in registry.companies}
    counts.not_in_registry = sorted(set(ids) - wanted_slugs)
    seeded_ids = [ids[entry.slug] for entry in registry.companies]

    aliases = [row for entry in registry.companies for row in _alias_rows(entry, ids[entry.slug])]
    counts.aliases_added, counts.aliases_removed, counts.aliases_changed = _sync(
        session, CompanyAlias, "alias_key", aliases, seeded_ids
    )
    products = [
        row for entry in registry.companies for row in _product_rows(entry, ids[entry.slug])
    ]
    counts.products_added, counts.products_removed, counts.products_changed = _sync(
        session, Product, "name_key", products, seeded_ids
    )
    return counts
