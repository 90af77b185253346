"""A division's report: who may read and write it, saving a draft, submitting it to the
Office with a snapshot of its figures, and the Office returning it with a reason."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime

from sqlalchemy.orm import Session

from portal.domain import yearly_report as rules
from portal.domain.permissions import Permission, can
from portal.models import DivisionReport, User
from portal.services.notifications import queue
from portal.services.yearly_reports.common import (
    ReportError,
    audit,
    checked_reason,
    checked_sections,
    local_day,
    require_open,
)
from portal.services.yearly_reports.figures import compute_figures


def may_read(user: User, report: DivisionReport) -> bool:
    """The Office reads every division's report; a division reads its own."""
    if can(user.roles, Permission.MANAGE_REPORTING):
        return True
    return may_write(user, report)


def may_write(user: User, report: DivisionReport) -> bool:
    """Only the division's own officials write its report (the Office included, for its own)."""
    return (
        can(user.roles, Permission.WRITE_DIVISION_REPORT)
        and user.division_id is not None
        and user.division_id == report.division_id
    )


def _store_sections(
    report: DivisionReport,
    sections: Mapping[str, object],
    *,
    submitting: bool,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Check and keep the text of an editable report; ReportError names what is wrong."""
    require_open(report.round)
    if report.status == "submitted":
        raise ReportError("submitted")
    report.sections = checked_sections(sections, submitting=submitting)
    report.updated_by_id = actor_id
    report.updated_at = now


def save_draft(
    session: Session,
    report: DivisionReport,
    sections: Mapping[str, object],
    *,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Keep the text as it is (nothing has to be filled in yet); commit."""
    _store_sections(report, sections, submitting=False, actor_id=actor_id, now=now)
    audit(session, report, "division_report.save", actor_id=actor_id, now=now)
    session.commit()


def submit(
    session: Session,
    report: DivisionReport,
    sections: Mapping[str, object],
    *,
    actor_id: int | None,
    now: datetime,
    today: date,
) -> None:
    """Submit the report to the Office with a snapshot of its figures; commit."""
    _store_sections(report, sections, submitting=True, actor_id=actor_id, now=now)
    report.figures = compute_figures(
        session, report.round, division_id=report.division_id, today=today
    )
    report.status = "submitted"
    report.return_reason = None
    report.submitted_by_id = actor_id
    report.submitted_at = now
    late = rules.is_late(
        status="submitted",
        due_on=report.round.division_due_on,
        today=today,
        submitted_on=local_day(now),
    )
    audit(session, report, "division_report.submit", actor_id=actor_id, now=now, late=late)
    session.commit()


def return_report(
    session: Session,
    report: DivisionReport,
    reason: str,
    *,
    actor_id: int | None,
    now: datetime,
    notify: Callable[[User, DivisionReport], tuple[str, str]] | None = None,
) -> None:
    """The Office sends a submitted report back with a reason; the submitter is told by
    e-mail when `notify` renders the message. Commit."""
    require_open(report.round)
    if report.status != "submitted":
        raise ReportError("not_submitted")
    reason = checked_reason(reason)
    report.status = "returned"
    report.return_reason = reason
    report.updated_by_id = actor_id
    report.updated_at = now
    submitter = session.get(User, report.submitted_by_id) if report.submitted_by_id else None
    if notify is not None and submitter is not None and submitter.active:
        subject, body = notify(submitter, report)
        queue(session, recipient=submitter.email, subject=subject, body=body, now=now)
    audit(session, report, "division_report.return", actor_id=actor_id, now=now, reason=reason)
    session.commit()
