"""open cases without a running clock, and the answer clock of accepted petitions

- ix_cases_open_without_clock(_status): partial indexes of the open cases that have no
  running clock.
  The working queue lists them after the cases with one (a NULL next_due_on sorts last),
  reading this small index instead of every case without a clock (closed ones included).
- Petitions and reflections accepted before the department's rule `petition.answer` existed
  had no clock at all and vanished from the queue: each gets that clock now, started on the
  day it was accepted, with the length of PETITION_ANSWER_WORKING_DAYS (15 by default) and
  the stored working-day calendar. `flask deadline recompute` restates them if a rules file
  or the setting changes the rule.

Plain CREATE INDEX, INSERT and UPDATE: no batch rebuild of `cases` (see 0016).

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29 09:00:00.000000

"""

import os
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

OPEN = "status IN ('received', 'accepted', 'in_progress', 'suspended')"
WHERE = f"next_due_on IS NULL AND {OPEN}"


def upgrade():
    # Both hold only the few open cases without a clock. PostgreSQL walks the first in id
    # order (the queue's); SQLite, whose planner prefers ix_cases_next_due for "next_due_on IS
    # NULL" (every closed case) over an index on id alone, takes the second by its equality
    # on status and sorts the few rows it finds.
    op.execute(f"CREATE INDEX ix_cases_open_without_clock ON cases (id) WHERE {WHERE}")
    op.execute(
        f"CREATE INDEX ix_cases_open_without_clock_status ON cases (status, id) WHERE {WHERE}"
    )
    _start_petition_clocks(op.get_bind())


def _start_petition_clocks(bind):
    from dataclasses import replace

    from portal.domain.calendar import Override, WorkingCalendar, override_kind
    from portal.domain.deadlines import RULES, due_date

    cases = bind.execute(
        sa.text(
            "SELECT c.id, max(e.at) FROM cases c JOIN case_events e ON e.case_id = c.id"
            " AND e.action = 'accept'"
            f" WHERE c.kind IN ('petition', 'reflection') AND c.{WHERE}"
            " GROUP BY c.id"
        )
    ).all()
    if not cases:
        return
    overrides = [
        Override(day=row.day, kind=override_kind(row.kind), note=row.note, source=row.source)
        for row in bind.execute(sa.text("SELECT day, kind, note, source FROM calendar_overrides"))
    ]
    calendar = WorkingCalendar(overrides, corrections=())
    days = int(os.environ.get("PETITION_ANSWER_WORKING_DAYS", "15"))
    rule = replace(RULES["petition.answer"], length=days)
    now = datetime.now(timezone.utc)
    for case_id, accepted_at in cases:
        if isinstance(accepted_at, str):  # SQLite hands back the stored text
            accepted_at = datetime.fromisoformat(accepted_at)
        started = (accepted_at + timedelta(hours=7)).date()  # the day in Vietnam
        due = due_date(rule, started, calendar, explain=False).due
        bind.execute(
            sa.text(
                "INSERT INTO deadlines (case_id, rule_id, legal_basis, started_on, complex,"
                " very_complex, remote, multi_place, extensions, paused_days, due_on,"
                " created_at) VALUES (:case_id, :rule_id, :basis, :started, false, false,"
                " false, false, 0, 0, :due, :now)"
            ),
            {
                "case_id": case_id,
                "rule_id": rule.id,
                "basis": rule.legal_basis,
                "started": started,
                "due": due,
                "now": now,
            },
        )
        bind.execute(
            sa.text("UPDATE cases SET next_due_on = :due WHERE id = :id"),
            {"due": due, "id": case_id},
        )


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_cases_open_without_clock_status")
    op.execute("DROP INDEX IF EXISTS ix_cases_open_without_clock")
