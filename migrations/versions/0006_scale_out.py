"""Scale-out: extraction claims on article, and the 'warc' source kind for archive backfill

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 03:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "kind IN ('rss', 'sitemap', 'listing', 'page', 'youtube')"
NEW_KINDS = "kind IN ('rss', 'sitemap', 'listing', 'page', 'youtube', 'warc')"


def upgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "extract_claim",
                sa.String(length=64),
                nullable=True,
                comment="Extraction task that has claimed this article and not finished it; "
                "NULL when unclaimed.  Lets concurrent workers split the pending articles.",
            )
        )
        batch_op.add_column(
            sa.Column(
                "extract_claimed_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="When extract_claim was taken (UTC); a claim older than the task "
                "visibility timeout is taken over.",
            )
        )
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_source_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_source_kind"), NEW_KINDS)
        batch_op.alter_column(
            "kind",
            existing_type=sa.String(length=20),
            existing_nullable=False,
            comment="How it is crawled: one of rss, sitemap, listing, page, youtube, warc.",
            existing_comment="How it is crawled: one of rss, sitemap, listing, page, youtube.",
        )


def downgrade() -> None:
    # archive backfills have no crawlable source kind before 0006: their articles stay,
    # unlinked from the source row that is removed
    op.execute("DELETE FROM source WHERE kind = 'warc'")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_source_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_source_kind"), OLD_KINDS)
        batch_op.alter_column(
            "kind",
            existing_type=sa.String(length=20),
            existing_nullable=False,
            comment="How it is crawled: one of rss, sitemap, listing, page, youtube.",
            existing_comment="How it is crawled: one of rss, sitemap, listing, page, youtube, warc.",
        )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("extract_claimed_at")
        batch_op.drop_column("extract_claim")
