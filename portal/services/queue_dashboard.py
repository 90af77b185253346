"""The officials' home page: overdue and due-soon cases per division and per official, what
arrived this week and what nobody has yet, all read from the open-case tallies, and only
those of the cases the official sees (a handler: their division's and their own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, func, select
from sqlalchemy.orm import Session

from portal.domain.calendar import WorkingCalendar
from portal.domain.permissions import CaseScope
from portal.models import Case, Division, OpenCaseTally, User
from portal.services.case_access import visible_cases, visible_tallies


@dataclass(frozen=True)
class Dashboard:
    overdue_by_division: list[tuple[str, int]]
    due_soon_by_official: list[tuple[str, int]]
    overdue_by_official: list[tuple[str, int]]
    arrived_this_week: int
    unassigned: int


def dashboard(
    session: Session,
    *,
    scope: CaseScope,
    today: date,
    calendar: WorkingCalendar,
    soon_working_days: int,
    week_start: date,
) -> Dashboard:
    soon = calendar.add_working_days(today, soon_working_days)
    tally = OpenCaseTally
    seen = visible_tallies(scope)

    def grouped(
        entity: type[Division | User],
        key: SQLColumnExpression[int],
        label: SQLColumnExpression[str],
        condition: ColumnElement[bool],
    ) -> list[tuple[str, int]]:
        # Summed per id first, then named: the join is made once per group, not per tally.
        totals = (
            select(key.label("key"), func.sum(tally.cases).label("cases"))
            .where(condition, seen)
            .group_by(key)
            .subquery()
        )
        query = (
            select(label, totals.c.cases)
            .select_from(totals)
            .outerjoin(entity, totals.c.key == entity.id)
            .order_by(totals.c.cases.desc(), label)
        )
        return [(name or "—", count) for name, count in session.execute(query)]

    overdue = tally.next_due_on < today
    due_soon = and_(tally.next_due_on >= today, tally.next_due_on <= soon)
    by_division = (Division, tally.division_id, Division.name)
    by_official = (User, tally.assignee_id, User.name)
    return Dashboard(
        overdue_by_division=grouped(*by_division, overdue),
        due_soon_by_official=grouped(*by_official, due_soon),
        overdue_by_official=grouped(*by_official, overdue),
        arrived_this_week=session.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.received_on >= week_start, visible_cases(scope))
        )
        or 0,
        unassigned=session.scalar(select(func.sum(tally.cases)).where(tally.assignee_id == 0, seen))
        or 0,
    )
