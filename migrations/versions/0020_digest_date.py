"""the day of each official's last "my work" digest

- users.last_digest_on: the daily e-mail digest of the cases waiting for an official is
  queued at most once a day (services/my_work.send_digests).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("last_digest_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("last_digest_on")
