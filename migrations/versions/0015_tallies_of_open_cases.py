"""tallies of open cases

`open_case_tallies` counts the cases with a running clock per nearest deadline, division and
assignee, kept by triggers on `cases` so that no write path can forget it. The queue's
counts and the dashboard read it instead of counting every open case, which keeps them as
fast at a million cases as at a thousand (docs/performance.md).

On PostgreSQL one function serves the three events; it changes the two tally rows of a
moved case in key order, so two officials each moving a case in opposite directions at the
same moment cannot deadlock (a statement that moves many cases at once, like the deadline
recomputation, can still meet such a move in a cycle: PostgreSQL then cancels one of the two,
whose user sees the error page and tries again). On SQLite (one writer at a time) three
triggers do the same.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 10:15:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

KEY = "next_due_on, division_id, assignee_id"

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION open_case_tallies_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_due date;
    old_division integer := 0;
    old_assignee integer := 0;
    new_due date;
    new_division integer := 0;
    new_assignee integer := 0;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_due := OLD.next_due_on;
        old_division := coalesce(OLD.division_id, 0);
        old_assignee := coalesce(OLD.assignee_id, 0);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_due := NEW.next_due_on;
        new_division := coalesce(NEW.division_id, 0);
        new_assignee := coalesce(NEW.assignee_id, 0);
    END IF;
    IF old_due IS NULL AND new_due IS NULL THEN
        RETURN NULL;
    END IF;
    IF (old_due, old_division, old_assignee) IS NOT DISTINCT FROM
       (new_due, new_division, new_assignee) THEN
        RETURN NULL;
    END IF;
    -- Lower key first: two moves in opposite directions lock their rows in the same order.
    IF new_due IS NOT NULL AND (old_due IS NULL
            OR (new_due, new_division, new_assignee) < (old_due, old_division, old_assignee)) THEN
        PERFORM open_case_tallies_add(new_due, new_division, new_assignee, 1);
        new_due := NULL;
    END IF;
    IF old_due IS NOT NULL THEN
        PERFORM open_case_tallies_add(old_due, old_division, old_assignee, -1);
    END IF;
    IF new_due IS NOT NULL THEN
        PERFORM open_case_tallies_add(new_due, new_division, new_assignee, 1);
    END IF;
    RETURN NULL;
END $$
"""

POSTGRESQL_ADD = """
CREATE OR REPLACE FUNCTION open_case_tallies_add(due date, division integer, assignee integer,
                                      change integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF change > 0 THEN
        INSERT INTO open_case_tallies (next_due_on, division_id, assignee_id, cases)
        VALUES (due, division, assignee, change)
        ON CONFLICT (next_due_on, division_id, assignee_id)
        DO UPDATE SET cases = open_case_tallies.cases + change;
    ELSE
        UPDATE open_case_tallies SET cases = cases + change
        WHERE next_due_on = due AND division_id = division AND assignee_id = assignee;
        DELETE FROM open_case_tallies
        WHERE next_due_on = due AND division_id = division AND assignee_id = assignee
          AND cases <= 0;
    END IF;
END $$
"""

POSTGRESQL_TRIGGERS = (
    "CREATE TRIGGER open_case_tallies_insert_delete AFTER INSERT OR DELETE ON cases "
    "FOR EACH ROW EXECUTE FUNCTION open_case_tallies_follow()",
    "CREATE TRIGGER open_case_tallies_update "
    "AFTER UPDATE OF next_due_on, division_id, assignee_id ON cases "
    "FOR EACH ROW EXECUTE FUNCTION open_case_tallies_follow()",
)


def _sqlite_add(row: str) -> str:
    return (
        f"INSERT INTO open_case_tallies ({KEY}, cases) "
        f"SELECT {row}.next_due_on, coalesce({row}.division_id, 0), "
        f"coalesce({row}.assignee_id, 0), 1 WHERE {row}.next_due_on IS NOT NULL "
        f"ON CONFLICT ({KEY}) DO UPDATE SET cases = cases + 1;"
    )


def _sqlite_remove(row: str) -> str:
    match = (
        f"next_due_on = {row}.next_due_on AND division_id = coalesce({row}.division_id, 0) "
        f"AND assignee_id = coalesce({row}.assignee_id, 0)"
    )
    return (
        f"UPDATE open_case_tallies SET cases = cases - 1 WHERE {match}; "
        f"DELETE FROM open_case_tallies WHERE {match} AND cases <= 0;"
    )


SQLITE_TRIGGERS = (
    "CREATE TRIGGER open_case_tallies_insert AFTER INSERT ON cases "
    f"WHEN new.next_due_on IS NOT NULL BEGIN {_sqlite_add('new')} END",
    "CREATE TRIGGER open_case_tallies_delete AFTER DELETE ON cases "
    f"WHEN old.next_due_on IS NOT NULL BEGIN {_sqlite_remove('old')} END",
    "CREATE TRIGGER open_case_tallies_update "
    "AFTER UPDATE OF next_due_on, division_id, assignee_id ON cases "
    "WHEN old.next_due_on IS NOT new.next_due_on OR old.division_id IS NOT new.division_id "
    "OR old.assignee_id IS NOT new.assignee_id "
    f"BEGIN {_sqlite_remove('old')} {_sqlite_add('new')} END",
)


def upgrade():
    op.create_table(
        "open_case_tallies",
        sa.Column("next_due_on", sa.Date(), nullable=False),
        sa.Column("division_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("assignee_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "next_due_on", "division_id", "assignee_id", name=op.f("pk_open_case_tallies")
        ),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        # A running app may write cases meanwhile: hold its writers until the triggers exist
        # (this transaction), so no change falls between the count and the triggers.
        op.execute("LOCK TABLE cases IN SHARE ROW EXCLUSIVE MODE")
    op.execute(
        f"INSERT INTO open_case_tallies ({KEY}, cases) "
        "SELECT next_due_on, coalesce(division_id, 0), coalesce(assignee_id, 0), count(*) "
        "FROM cases WHERE next_due_on IS NOT NULL GROUP BY 1, 2, 3"
    )
    if postgresql:
        for statement in (POSTGRESQL_ADD, POSTGRESQL_FUNCTION, *POSTGRESQL_TRIGGERS):
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS open_case_tallies_insert_delete ON cases")
        op.execute("DROP TRIGGER IF EXISTS open_case_tallies_update ON cases")
        op.execute("DROP FUNCTION IF EXISTS open_case_tallies_follow()")
        op.execute("DROP FUNCTION IF EXISTS open_case_tallies_add(date, integer, integer, integer)")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS open_case_tallies_{name}")
    op.drop_table("open_case_tallies")
