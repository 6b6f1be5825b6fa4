"""Declarative base shared by every table.

The naming convention makes constraint and index names identical on SQLite and
PostgreSQL, so migrations can refer to them by name on both back-ends.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python.

    SQLite has no time zones and hands back naive values; PostgreSQL hands back
    aware ones.  Normalising both to aware UTC keeps comparisons such as
    ``published_at < first_seen_at`` correct whichever store is used.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: chipwire stores aware UTC timestamps")
        value = value.astimezone(UTC)
        # SQLite keeps the text as given; store it without offset so it sorts correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """Current time as aware UTC; the single clock used for stored timestamps."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of all chipwire tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class Timestamps:
    """Creation and update times, for auditing rows that upserts rewrite."""

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        server_default=func.current_timestamp(),
        comment="When this row was first written (UTC).",
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        onupdate=utcnow,
        server_default=func.current_timestamp(),
        comment="When this row was last changed (UTC).",
    )


# PostgreSQL's own indexes (on an expression, or partial): autogenerate cannot compare them
# with the database (it proposes dropping and re-creating them, or adding them to SQLite),
# so it leaves them out and a test checks them instead (tests/test_migrations.py).
EXPRESSION_INDEXES = frozenset({"ix_article_known_at", "ix_article_pending"})


def autogenerate_includes(
    item: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's ``include_object`` hook: everything but the expression indexes."""
    return not (type_ == "index" and name in EXPRESSION_INDEXES)
