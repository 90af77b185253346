"""job runs

- job_runs: the last run of each periodic job (`flask jobs run`), shared by every host:
  which period it was for, when it started and finished, and how it ended. A host claims a
  daily run by moving `period_key` to today's date, so a reminder goes out once per day
  however many hosts run the jobs.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from portal.models.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("period_key", sa.String(length=20), nullable=True),
        sa.Column("last_started_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_finished_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.String(length=10), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_runs")),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
