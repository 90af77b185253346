"""Daily reminders to officials about deadlines due soon and overdue, through the outbox."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.calendar import WorkingCalendar
from portal.domain.permissions import Permission, permissions_for
from portal.models import Case, Deadline, User
from portal.notifications import queue


@dataclass(frozen=True)
class Item:
    case_number: str
    rule_id: str
    due_on: date
    overdue: bool


def collect(
    session: Session, *, today: date, calendar: WorkingCalendar, soon_working_days: int
) -> dict[int, list[Item]]:
    """For each official, the open deadlines of their cases that are due soon or overdue.

    Cases nobody is assigned to go to every official who classifies letters.
    """
    horizon = calendar.add_working_days(today, soon_working_days)
    rows = session.execute(
        select(Deadline, Case)
        .join(Case, Deadline.case_id == Case.id)
        .where(Deadline.met_on.is_(None), Deadline.due_on <= horizon)
        .order_by(Deadline.due_on)
    ).all()
    classifiers = [
        user.id
        for user in session.scalars(select(User).where(User.active.is_(True)))
        if Permission.CLASSIFY_CASES in permissions_for(user.roles)
    ]
    result: dict[int, list[Item]] = defaultdict(list)
    for deadline, case in rows:
        item = Item(case.number, deadline.rule_id, deadline.due_on, deadline.due_on < today)
        for user_id in [case.assignee_id] if case.assignee_id else classifiers:
            result[user_id].append(item)
    return dict(result)


def send_reminders(
    session: Session,
    *,
    today: date,
    now: datetime,
    calendar: WorkingCalendar,
    soon_working_days: int,
    render: Callable[[User, list[Item]], tuple[str, str]],
) -> int:
    """Queue one e-mail per official with something due; return how many were queued.

    The messages name case numbers and dates only: never a citizen's identity or content.
    """
    queued = 0
    for user_id, items in collect(
        session, today=today, calendar=calendar, soon_working_days=soon_working_days
    ).items():
        user = session.get(User, user_id)
        if user is None or not user.active:
            continue
        subject, body = render(user, items)
        queue(session, recipient=user.email, subject=subject, body=body, now=now)
        queued += 1
    session.commit()
    return queued
