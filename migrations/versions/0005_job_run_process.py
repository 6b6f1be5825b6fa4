"""job_run: the process behind a run, and the 'abandoned' status

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "status IN ('running', 'succeeded', 'failed', 'partial')"
NEW = "status IN ('running', 'succeeded', 'failed', 'partial', 'abandoned')"


def upgrade() -> None:
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "pid",
                sa.Integer(),
                nullable=True,
                comment="Process id of the run, to tell a live run from a dead one.",
            )
        )
        batch_op.add_column(
            sa.Column(
                "host",
                sa.String(length=255),
                nullable=True,
                comment="Host the run's process ran on; its pid means something only there.",
            )
        )
        batch_op.drop_constraint(batch_op.f("ck_job_run_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_job_run_status"), NEW)
        batch_op.alter_column(
            "status",
            existing_type=sa.String(length=20),
            existing_nullable=False,
            comment="One of running, succeeded, failed, partial, abandoned.",
            existing_comment="One of running, succeeded, failed, partial.",
        )


def downgrade() -> None:
    # a run marked abandoned was a run whose process died: 'failed' is the nearest old status
    op.execute("UPDATE job_run SET status = 'failed' WHERE status = 'abandoned'")
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_job_run_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_job_run_status"), OLD)
        batch_op.alter_column(
            "status",
            existing_type=sa.String(length=20),
            existing_nullable=False,
            comment="One of running, succeeded, failed, partial.",
            existing_comment="One of running, succeeded, failed, partial, abandoned.",
        )
        batch_op.drop_column("host")
        batch_op.drop_column("pid")
