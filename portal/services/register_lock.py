"""PostgreSQL's lock that makes the case register's writers take turns: the intake, which
numbers a case and counts its first deadlines on the stored calendar, and every change of
the stored calendar, which recounts the open deadlines.

Held to the end of the transaction (`pg_advisory_xact_lock`). With it, the intake's insert
(which checks that the calendar is still the one its deadlines were counted on) runs either
after a calendar change has committed, and sees it, or before the change's recount begins,
which then sees the new case. On SQLite the write lock (`BEGIN IMMEDIATE`) already makes
every writer take turns.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

# One lock for every year: the same form sent twice across midnight on 31 December must wait
# for its first case too (with a lock per year the second insert missed the first, still
# uncommitted, and met the unique key as an error).
CASE_NUMBER_LOCK = 4_101
_TAKE_LOCK = select(func.pg_advisory_xact_lock(CASE_NUMBER_LOCK))


def take_register_lock(session: Session) -> None:
    """Wait for the register's lock (PostgreSQL; nothing to do on SQLite)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_TAKE_LOCK)
