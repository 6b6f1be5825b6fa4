"""Indexes for a team store: the briefing's week, status's freshness, extraction's pending

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 04:30:00

Both were full scans of the article table on a generated store of a million articles
(bench/pg_store.py, docs/scaling.md): the briefing selects a week's originals by when each
could be known (an expression), ``chipwire status`` reads the newest fetch, and every
extraction worker looks for the few pending articles among all the extracted ones.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KNOWN_AT = sa.text(
    "(CASE WHEN (published_at IS NOT NULL AND published_at < first_seen_at) "
    "THEN published_at ELSE first_seen_at END)"
)
ORIGINALS = sa.text("duplicate_of_id IS NULL")
PENDING = sa.text(
    "duplicate_of_id IS NULL AND (extracted_hash IS NULL OR extracted_hash <> content_hash)"
)


def _postgresql() -> bool:
    # the expression index is the team store's: SQLite cannot reflect one, and its batch
    # migrations (which rebuild tables from reflection) would lose it silently
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgresql():
        op.create_index(
            "ix_article_known_at", "article", [KNOWN_AT], unique=False, postgresql_where=ORIGINALS
        )
        op.create_index("ix_article_pending", "article", ["id"], postgresql_where=PENDING)
    op.create_index(op.f("ix_article_fetched_at"), "article", ["fetched_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_article_fetched_at"), table_name="article")
    if _postgresql():
        op.drop_index("ix_article_pending", table_name="article")
        op.drop_index("ix_article_known_at", table_name="article")
