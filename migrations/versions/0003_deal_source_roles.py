"""each report's party roles, so a deal's roles are the ones most reports give

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing reports get no roles ({}): their deals keep the roles they have until the
    # articles are re-extracted (`chipwire extract --all`).
    with op.batch_alter_table("deal_source", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "roles_reported",
                sa.JSON(),
                nullable=False,
                server_default=sa.text("'{}'"),
                comment="Each party's role as this article reports it, {name: role}; the "
                "deal's deal_party.role is the role most reports give.",
            )
        )
        batch_op.add_column(
            sa.Column(
                "roles_stated",
                sa.Boolean(),
                nullable=False,
                server_default=sa.true(),
                comment="False where the article's order of the parties was only a guess ('A's "
                "licensing deal with B'); reports that state the direction outvote guesses.",
            )
        )
    with op.batch_alter_table("deal_source", schema=None) as batch_op:
        batch_op.alter_column("roles_reported", server_default=None)
        batch_op.alter_column("roles_stated", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("deal_source", schema=None) as batch_op:
        batch_op.drop_column("roles_stated")
        batch_op.drop_column("roles_reported")
