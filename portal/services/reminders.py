"""Daily reminders to officials, through the outbox: case deadlines and the follow-ups of
reception and dialogue sessions that are due soon or overdue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import dialogues as dialogue_rules
from portal.domain.calendar import WorkingCalendar
from portal.domain.permissions import Permission, permissions_for
from portal.models import Case, Deadline, Dialogue, FollowUp, User
from portal.services.notifications import queue


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


@dataclass(frozen=True)
class FollowUpReminder:
    follow_up_id: int
    dialogue_id: int
    dialogue_title: str
    conclusion: str
    due_on: date
    overdue: bool


def collect_follow_ups(
    session: Session, *, today: date, calendar: WorkingCalendar, soon_working_days: int
) -> dict[int, list[FollowUpReminder]]:
    """For each official, the open follow-ups of their division that are due soon or overdue
    and not yet reminded today. Follow-ups without a division (or whose division has no active
    official) go to the officials who organise the sessions."""
    horizon = calendar.add_working_days(today, soon_working_days)
    follow_ups = session.execute(
        select(FollowUp, Dialogue)
        .join(Dialogue, FollowUp.dialogue_id == Dialogue.id)
        .where(FollowUp.status == "open", FollowUp.due_on <= horizon)
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    active = list(session.scalars(select(User).where(User.active.is_(True))))
    organisers = [u.id for u in active if Permission.MANAGE_DIALOGUES in permissions_for(u.roles)]
    by_division: dict[int, list[int]] = defaultdict(list)
    for user in active:
        if user.division_id is not None:
            by_division[user.division_id].append(user.id)
    result: dict[int, list[FollowUpReminder]] = defaultdict(list)
    for follow_up, dialogue in follow_ups:
        if not dialogue_rules.remind_follow_up(follow_up.last_reminded_on, today):
            continue
        item = FollowUpReminder(
            follow_up_id=follow_up.id,
            dialogue_id=dialogue.id,
            dialogue_title=dialogue.title,
            conclusion=follow_up.conclusion,
            due_on=follow_up.due_on,
            overdue=follow_up.due_on < today,
        )
        # A division without an active official: the organisers are told instead.
        recipients = by_division.get(follow_up.division_id or 0) or organisers
        for user_id in recipients:
            result[user_id].append(item)
    return dict(result)


def send_follow_up_reminders(
    session: Session,
    *,
    today: date,
    now: datetime,
    calendar: WorkingCalendar,
    soon_working_days: int,
    render: Callable[[User, list[FollowUpReminder]], tuple[str, str]],
) -> int:
    """Queue one e-mail per official with follow-ups due soon or overdue, and mark each
    follow-up reminded today so a second run the same day sends nothing; commit."""
    reminded: set[int] = set()
    queued = 0
    for user_id, items in collect_follow_ups(
        session, today=today, calendar=calendar, soon_working_days=soon_working_days
    ).items():
        user = session.get(User, user_id)
        if user is None:
            continue
        subject, body = render(user, items)
        queue(session, recipient=user.email, subject=subject, body=body, now=now)
        reminded.update(item.follow_up_id for item in items)
        queued += 1
    for follow_up_id in reminded:
        follow_up = session.get(FollowUp, follow_up_id)
        if follow_up is not None:
            follow_up.last_reminded_on = today
    session.commit()
    return queued
