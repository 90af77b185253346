"""Reminders to the officials of divisions that have not submitted their report yet."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import yearly_report as rules
from portal.domain.calendar import WorkingCalendar
from portal.domain.permissions import Permission, can
from portal.models import Division, DivisionReport, ReportingRound, User
from portal.services.notifications import queue
from portal.services.yearly_reports.common import audit


def _writers(session: Session, division_id: int) -> list[User]:
    users = session.scalars(
        select(User).where(User.division_id == division_id, User.active.is_(True))
    )
    return [u for u in users if can(u.roles, Permission.WRITE_DIVISION_REPORT)]


def send_reminders(
    session: Session,
    *,
    today: date,
    now: datetime,
    calendar: WorkingCalendar,
    render: Callable[[User, ReportingRound, Division, str], tuple[str, str]],
) -> int:
    """Queue reminders to the officials of divisions that have not submitted; return how many
    e-mails were queued. At most one reminder a day per division (see rules.reminder_due)."""
    queued = 0
    pending: Iterable[tuple[DivisionReport, ReportingRound, Division]] = session.execute(
        select(DivisionReport, ReportingRound, Division)
        .join(ReportingRound, DivisionReport.round_id == ReportingRound.id)
        .join(Division, DivisionReport.division_id == Division.id)
        .where(ReportingRound.status == "open", DivisionReport.status != "submitted")
        .order_by(ReportingRound.year, Division.name)
    ).tuples()
    for report, round_, division in pending:
        kind = rules.reminder_due(
            today=today,
            due_on=round_.division_due_on,
            calendar=calendar,
            last_reminded_on=report.last_reminded_on,
        )
        if kind is None:
            continue
        writers = _writers(session, division.id)
        for user in writers:
            subject, body = render(user, round_, division, kind)
            queue(session, recipient=user.email, subject=subject, body=body, now=now)
        queued += len(writers)
        report.last_reminded_on = today
        audit(
            session,
            report,
            "division_report.remind",
            actor_id=None,
            now=now,
            kind=kind,
            recipients=len(writers),
        )
    session.commit()
    return queued
