"""Migrations create the schema on both back-ends and match the models exactly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from chipwire.models import Base
from chipwire.models.base import autogenerate_includes
from chipwire.pipeline.config import Settings
from chipwire.pipeline.db import current_revision, downgrade, head_revision, make_engine, upgrade


def test_upgrade_empty_database_to_head_creates_every_table(settings: Settings) -> None:
    engine = make_engine(settings.url)
    assert current_revision(engine) is None
    before, after = upgrade(engine)
    assert (before, after) == (None, head_revision())
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    engine.dispose()


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    assert upgrade(engine) == (head_revision(), head_revision())


# Alembic says it skips the expression index on SQLite; include_object skips it anyway.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression")
def test_autogenerate_finds_no_difference_from_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                "include_object": autogenerate_includes,
            },
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert "company" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_columns_carry_comments_for_analysts() -> None:
    missing = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if not column.comment
    ]
    assert missing == []
    assert all(table.comment for table in Base.metadata.sorted_tables)


def test_foreign_keys_are_indexed() -> None:
    unindexed = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if column.foreign_keys
        and not column.index
        and not any(index.columns.keys()[0] == column.name for index in table.indexes)
        and not any(
            constraint.columns.keys()[0] == column.name
            for constraint in table.constraints
            if constraint.__class__.__name__ == "UniqueConstraint"
        )
    ]
    assert unindexed == []


def test_the_expression_indexes_exist_and_serve_the_briefing(engine: Engine) -> None:
    """Left out of the autogenerate comparison, so checked here: each exists after the
    migrations, and the briefing's week query is planned on it (PostgreSQL's planner
    uses an expression index only for the very same expression)."""
    from sqlalchemy import select, text

    from chipwire.models import Article, known_at_clause
    from chipwire.models.base import EXPRESSION_INDEXES

    if engine.dialect.name != "postgresql":
        return  # PostgreSQL's only (models/article.py says why)
    names = {index["name"] for index in inspect(engine).get_indexes("article")}
    assert names >= EXPRESSION_INDEXES
    when = known_at_clause(Article.published_at, Article.first_seen_at)
    query = select(Article.id).where(
        Article.duplicate_of_id.is_(None), when >= text("'2026-01-05'")
    )
    compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))  # an empty table: force a choice
        plan = "\n".join(row[0] for row in connection.execute(text(f"EXPLAIN {compiled}")))
    assert "ix_article_known_at" in plan
