"""Bought companies: company.parent_id

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 18:00:00

A company another one bought (Habana Labs, Xilinx, Weights & Biases) becomes a row of its
own pointing at its parent, so a deal that tells of buying it can name it and an analyst
can roll a group up with one join.  ``chipwire db seed`` fills the column from the registry.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _set_views_aside() -> list[str]:
    """SQLite rebuilds a table to add a foreign key, and refuses while views read it: the
    views are dropped and given back, as they were, once the table is rebuilt."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return []
    views = bind.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'view'")).all()
    for name, _ in views:
        op.execute(f'DROP VIEW "{name}"')
    return [sql for _, sql in views]


def _restore_views(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    views = _set_views_aside()
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "parent_id",
                sa.Integer(),
                nullable=True,
                comment="The company that bought this one (Habana Labs -> Intel); NULL for a "
                "company on its own.  Mentions and deals name the parent, except where a text "
                "tells of the acquisition itself.",
            )
        )
        batch_op.create_index(batch_op.f("ix_company_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_company_parent_id_company"),
            "company",
            ["parent_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _restore_views(views)


def downgrade() -> None:
    views = _set_views_aside()
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_company_parent_id_company"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_company_parent_id"))
        batch_op.drop_column("parent_id")
    _restore_views(views)
