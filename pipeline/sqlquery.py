"""Analysts' direct SQL: one statement on a connection the database itself keeps read-only.

The guard is the database, not a parser of ours: SQLite is opened with
``mode=ro`` and ``PRAGMA query_only``, PostgreSQL with
``default_transaction_read_only`` and a prepared statement (which cannot hold
several commands, so ``SET ...; COMMIT; INSERT ...`` cannot switch it back).
The keyword check only gives writes a clearer message before they reach it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from chipwire.pipeline.config import mask_url
from chipwire.pipeline.errors import ReadOnlyError, StoreError, first_line

READ_KEYWORDS = frozenset({"select", "with", "values", "table", "explain", "show", "pragma"})
# Statements that change data or the session; anything else (a typo such as SELEC) is
# reported as what it is, not as a write.
WRITE_KEYWORDS = frozenset(
    {
        "insert",
        "update",
        "delete",
        "merge",
        "upsert",
        "replace",
        "drop",
        "create",
        "alter",
        "truncate",
        "rename",
        "grant",
        "revoke",
        "attach",
        "detach",
        "vacuum",
        "reindex",
        "analyze",
        "set",
        "reset",
        "begin",
        "start",
        "commit",
        "rollback",
        "savepoint",
        "release",
        "copy",
        "call",
        "do",
        "lock",
        "comment",
        "cluster",
        "refresh",
        "load",
        "import",
        "discard",
        "prepare",
        "execute",
        "deallocate",
        "listen",
        "notify",
    }
)
_READ_ONLY_HINTS = ("readonly", "read-only", "query_only", "read only")
_FIRST_WORD = re.compile(r"\s*(?:(?:--[^\n]*\n|/\*.*?\*/)\s*)*\(*\s*([A-Za-z]+)", re.DOTALL)


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False  # more rows exist than max_rows let through


def first_keyword(sql: str) -> str:
    """The statement's first keyword, skipping comments and opening parentheses."""
    match = _FIRST_WORD.match(sql)
    return match.group(1).lower() if match else ""


def _sqlite_query_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def readonly_engine(url: str) -> Engine:
    """An engine whose connections cannot write, for the back-end of ``url``."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:":
            raise StoreError(f"{mask_url(url)}: read-only queries need a database file")
        path = Path(database)
        if not path.is_file():
            raise StoreError(f"{path}: no store here yet; run `chipwire db upgrade` first")
        ro_url = parsed.set(database=f"file:{path.resolve()}?mode=ro", query={"uri": "true"})
        engine = create_engine(ro_url, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_query_only)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            parsed,
            poolclass=NullPool,
            connect_args={"options": "-c default_transaction_read_only=on"},
        )
    raise StoreError(f"{mask_url(url)}: read-only queries support SQLite and PostgreSQL only")


def run_readonly(url: str, sql: str, *, max_rows: int | None = None) -> QueryResult:
    """Run one statement read-only and return its rows; writes raise ReadOnlyError."""
    if not sql.strip():
        raise StoreError("empty query")
    keyword = first_keyword(sql)
    if keyword not in READ_KEYWORDS and keyword not in WRITE_KEYWORDS:
        raise StoreError(
            f"{keyword.upper() or 'this'} does not start a query (SELECT, WITH, VALUES, TABLE, "
            "EXPLAIN, SHOW, PRAGMA); nothing was run"
        )
    if keyword not in READ_KEYWORDS:
        raise ReadOnlyError(
            f"refused: `chipwire sql` is read-only and {keyword.upper() or 'this statement'} "
            "would change data; nothing was run"
        )
    engine = readonly_engine(url)
    try:
        raw = engine.raw_connection()
    except Exception as exc:
        raise StoreError(f"{mask_url(url)}: cannot connect: {first_line(exc)}") from exc
    try:
        cursor = raw.cursor()
        try:
            if engine.dialect.name == "postgresql":
                cursor.execute(sql, prepare=True)
            else:
                cursor.execute(sql)
        except Exception as exc:
            message = first_line(exc)
            if any(hint in message.lower() for hint in _READ_ONLY_HINTS):
                raise ReadOnlyError(
                    f"refused: `chipwire sql` is read-only ({message}); nothing was changed"
                ) from exc
            if "multiple commands" in message or "one statement at a time" in message:
                raise StoreError(f"one statement at a time, please ({message})") from exc
            raise StoreError(f"query failed: {message}") from exc
        if cursor.description is None:
            return QueryResult(columns=[], rows=[])
        columns = [str(column[0]) for column in cursor.description]
        if max_rows is None:
            return QueryResult(columns, [tuple(row) for row in cursor.fetchall()])
        rows = cursor.fetchmany(max_rows + 1)  # one more, to know whether rows were cut
        return QueryResult(columns, [tuple(r) for r in rows[:max_rows]], len(rows) > max_rows)
    finally:
        raw.rollback()
        raw.close()
        engine.dispose()
