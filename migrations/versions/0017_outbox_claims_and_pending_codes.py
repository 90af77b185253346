"""outbox claims and pending access codes

- outbox: a delivery worker claims a message (claim_token, claimed_at) before it sends it,
  so two workers never send one message twice; a failed attempt waits until
  next_attempt_at (exponential backoff); case_id and purpose let the citizen's lookup page
  say whether the receipt went out; sealed_recipient holds a confidential case's address,
  encrypted, until the receipt has gone.
- cases.pending_access_code_hash: a new code asked for by e-mail; the old code keeps
  working until the new one is first used.

Plain ADD COLUMN and CREATE INDEX on both databases: no batch rebuild of `cases` (which
would drop the search-index triggers, see 0016).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from portal.models.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("next_attempt_at", UTCDateTime(timezone=True), nullable=True))
    op.add_column("outbox", sa.Column("claim_token", sa.String(length=32), nullable=True))
    op.add_column("outbox", sa.Column("claimed_at", UTCDateTime(timezone=True), nullable=True))
    op.add_column("outbox", sa.Column("sealed_recipient", sa.LargeBinary(), nullable=True))
    op.add_column("outbox", sa.Column("case_id", sa.Integer(), nullable=True))
    op.add_column("outbox", sa.Column("purpose", sa.String(length=20), nullable=True))
    op.create_index(op.f("ix_outbox_case_id"), "outbox", ["case_id"], unique=False)
    op.add_column(
        "cases", sa.Column("pending_access_code_hash", sa.String(length=64), nullable=True)
    )
    op.create_index(
        op.f("ix_cases_pending_access_code_hash"),
        "cases",
        ["pending_access_code_hash"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_cases_pending_access_code_hash"), table_name="cases")
    op.drop_column("cases", "pending_access_code_hash")
    op.drop_index(op.f("ix_outbox_case_id"), table_name="outbox")
    for column in (
        "purpose",
        "case_id",
        "sealed_recipient",
        "claimed_at",
        "claim_token",
        "next_attempt_at",
    ):
        op.drop_column("outbox", column)
