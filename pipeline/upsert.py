"""Idempotent INSERT ... ON CONFLICT for the dialects chipwire supports.

Every stage re-runs safely because it writes through this: a row that already
exists with the same values is left untouched (its ``updated_at`` included), a
changed row is updated in place, a new row is inserted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, ColumnElement, Table, cast, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.base import utcnow

# Stay well below SQLite's limit of 32766 bound parameters per statement.
_MAX_PARAMS = 30000


def upsert(
    session: Session,
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
    """
    if not rows:
        return
    key = list(key)
    columns = list(rows[0])
    if update is None:
        update = [c for c in columns if c not in key and c not in ("id", "created_at")]
    update = list(update)
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        insert = postgresql.insert
    elif dialect == "sqlite":
        insert = sqlite.insert
    else:  # pragma: no cover - guarded by the supported URLs
        raise NotImplementedError(f"upsert is not implemented for {dialect}")

    batch = max(1, _MAX_PARAMS // max(1, len(columns)))
    for start in range(0, len(rows), batch):
        stmt = insert(table).values(list(rows[start : start + batch]))
        if not update:
            stmt = stmt.on_conflict_do_nothing(index_elements=key)
        else:
            values = {c: stmt.excluded[c] for c in update}
            if "updated_at" in table.c and "updated_at" not in values:
                values["updated_at"] = utcnow()
            changed = or_(*(_differs(table.c[c], stmt.excluded[c], dialect) for c in update))
            stmt = stmt.on_conflict_do_update(index_elements=key, set_=values, where=changed)
        session.execute(stmt)


def _differs(current: ColumnElement[Any], new: ColumnElement[Any], dialect: str) -> Any:
    """``current IS DISTINCT FROM new``; PostgreSQL's json has no equality, so compare as jsonb."""
    if dialect == "postgresql" and isinstance(current.type, JSON):
        current, new = cast(current, postgresql.JSONB), cast(new, postgresql.JSONB)
    return current.is_distinct_from(new)
