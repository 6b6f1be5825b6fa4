"""Idempotent INSERT ... ON CONFLICT for the dialects chipwire supports.

Every stage re-runs safely because it writes through this: a row that already
exists with the same values is left untouched (its ``updated_at`` included), a
changed row is updated in place, a new row is inserted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, ColumnElement, Connection, Insert, Table, bindparam, cast, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from chipwire.models.base import utcnow

_BATCH = 1000  # rows per executemany call
_NOW = "chipwire_now"  # bound parameter carrying the update time


def upsert(
    target: Session | Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    key: Iterable[str],
    update: Iterable[str] | None = None,
) -> None:
    """Insert ``rows``; on a ``key`` conflict update the ``update`` columns if they differ.

    ``update=None`` updates every column given except the key; an empty list
    means "insert or ignore".  ``updated_at`` is refreshed only for rows that
    really change, because ``set_`` does not fire Python-side ``onupdate``.
    All rows must have the same columns.
    """
    if not rows:
        return
    key = tuple(key)
    columns = tuple(rows[0])
    if update is None:
        update = [c for c in columns if c not in key and c not in ("id", "created_at")]
    bind = target.get_bind() if isinstance(target, Session) else target
    stmt = upsert_statement(bind.dialect.name, table, columns, key, tuple(update))
    now = {_NOW: utcnow()}
    params = [{**row, **now} for row in rows]
    for start in range(0, len(params), _BATCH):
        target.execute(stmt, params[start : start + _BATCH])


@lru_cache(maxsize=64)
def upsert_statement(
    dialect: str,
    table: Table,
    columns: tuple[str, ...],
    key: tuple[str, ...],
    update: tuple[str, ...],
) -> Insert:
    """The upsert for one table and column set, built once with bound parameters.

    Built once and reused, SQLAlchemy compiles it once too: a crawl writes one
    article per transaction, and rebuilding the statement each time cost more
    than the write itself.
    """
    if dialect == "postgresql":
        insert = postgresql.insert
    elif dialect == "sqlite":
        insert = sqlite.insert
    else:  # pragma: no cover - guarded by the supported URLs
        raise NotImplementedError(f"upsert is not implemented for {dialect}")
    stmt = insert(table).values({c: bindparam(c, type_=table.c[c].type) for c in columns})
    if not update:
        return stmt.on_conflict_do_nothing(index_elements=list(key))
    values: dict[str, Any] = {c: stmt.excluded[c] for c in update}
    if "updated_at" in table.c and "updated_at" not in values:
        values["updated_at"] = bindparam(_NOW, type_=table.c["updated_at"].type)
    changed = or_(*(_differs(table.c[c], stmt.excluded[c], dialect) for c in update))
    return stmt.on_conflict_do_update(index_elements=list(key), set_=values, where=changed)


def _differs(current: ColumnElement[Any], new: ColumnElement[Any], dialect: str) -> Any:
    """``current IS DISTINCT FROM new``; PostgreSQL's json has no equality, so compare as jsonb."""
    if dialect == "postgresql" and isinstance(current.type, JSON):
        current, new = cast(current, postgresql.JSONB), cast(new, postgresql.JSONB)
    return current.is_distinct_from(new)
