"""indexes for statistics

Covering indexes so the statistics of a year of a million cases are read from indexes,
with or without ANALYZE statistics on SQLite: the received cases grouped in index order
(no sort), the figures per day received (the public months), the days answered, and the
deadlines per day met.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 08:10:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_statistics",
            [
                "kind",
                "channel",
                "status",
                "field",
                "satisfaction_rating",
                "outcome_ground",
                "received_on",
                "division_id",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_cases_received_figures",
            ["received_on", "status", "next_due_on", "satisfaction_rating", "division_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_cases_answered",
            ["answered_on", "received_on", "division_id", "status"],
            unique=False,
        )
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deadlines_met",
            ["met_on", "stopped_reason", "due_on", "rule_id", "case_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index("ix_deadlines_met")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_answered")
        batch_op.drop_index("ix_cases_received_figures")
        batch_op.drop_index("ix_cases_statistics")
