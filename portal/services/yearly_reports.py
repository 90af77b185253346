"""The yearly mass-mobilisation report: rounds, divisions' reports, compiling, reminders.

The Office (Permission.MANAGE_REPORTING) opens a round for a year; every division with an
active official gets a report row. A division's officials (Permission.WRITE_DIVISION_REPORT)
write and submit their own division's report only; the Office reads all of them, returns one
with a reason, and compiles the consolidated report. Figures the portal knows are computed by
`portal.services.statistics` and stored as a snapshot when a report is submitted and when the
round is compiled, so the documents do not change afterwards. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import dialogues as dialogue_rules
from portal.domain import yearly_report as rules
from portal.domain.calendar import WorkingCalendar
from portal.domain.permissions import Permission, can
from portal.models import Division, DivisionReport, ReportingRound, User
from portal.services import ServiceError, statistics
from portal.services.audit import record
from portal.services.notifications import queue

Figures = dict[str, float | int | None]


class ReportError(ServiceError):
    """`code` says what is wrong; `problems` maps section ids to "missing" or "too_long"."""

    def __init__(self, code: str, problems: Mapping[str, str] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.problems = dict(problems or {})


@dataclass(frozen=True)
class RoundDates:
    division_due_on: date
    office_due_on: date
    period_start: date
    period_end: date

    @classmethod
    def defaults(cls, year: int) -> RoundDates:
        division_due, office_due = rules.default_deadlines(year)
        start, end = rules.default_period(year)
        return cls(division_due, office_due, start, end)


@dataclass(frozen=True)
class OverviewRow:
    report: DivisionReport
    division_name: str
    late: bool


# --- who may do what -----------------------------------------------------------------------


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


# --- rounds ---------------------------------------------------------------------------------


def _check_dates(dates: RoundDates, year: int) -> None:
    if dates.office_due_on < dates.division_due_on:
        raise ReportError("office_before_divisions")
    if dates.period_end < dates.period_start:
        raise ReportError("period_reversed")
    if dates.period_start.year != year:
        raise ReportError("period_outside_year")


def reporting_divisions(session: Session) -> list[Division]:
    """Divisions with at least one active official: those asked to report."""
    staffed = select(User.division_id).where(User.active.is_(True), User.division_id.is_not(None))
    return list(
        session.scalars(select(Division).where(Division.id.in_(staffed)).order_by(Division.name))
    )


def open_round(
    session: Session, *, year: int, dates: RoundDates, actor_id: int | None, now: datetime
) -> ReportingRound:
    """Open the round of `year` with one report per division asked to report; commit."""
    _check_dates(dates, year)
    if session.scalar(select(ReportingRound.id).where(ReportingRound.year == year)):
        raise ReportError("exists")
    round_ = ReportingRound(
        year=year,
        division_due_on=dates.division_due_on,
        office_due_on=dates.office_due_on,
        period_start=dates.period_start,
        period_end=dates.period_end,
        status="open",
        sections={},
        opened_by_id=actor_id,
        opened_at=now,
        updated_at=now,
    )
    session.add(round_)
    for division in reporting_divisions(session):
        round_.reports.append(
            DivisionReport(division_id=division.id, sections={}, figures={}, updated_at=now)
        )
    session.flush()
    record(
        session,
        actor_id=actor_id,
        action="report_round.open",
        now=now,
        target_type="reporting_round",
        target_id=round_.id,
        year=year,
        division_due_on=dates.division_due_on.isoformat(),
        office_due_on=dates.office_due_on.isoformat(),
        divisions=len(round_.reports),
    )
    session.commit()
    return round_


def change_dates(
    session: Session,
    round_: ReportingRound,
    dates: RoundDates,
    *,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Change the deadlines or the period of an open round; commit."""
    if round_.status != "open":
        raise ReportError("compiled")
    _check_dates(dates, round_.year)
    round_.division_due_on = dates.division_due_on
    round_.office_due_on = dates.office_due_on
    round_.period_start = dates.period_start
    round_.period_end = dates.period_end
    round_.updated_at = now
    record(
        session,
        actor_id=actor_id,
        action="report_round.dates",
        now=now,
        target_type="reporting_round",
        target_id=round_.id,
        division_due_on=dates.division_due_on.isoformat(),
        office_due_on=dates.office_due_on.isoformat(),
        period_start=dates.period_start.isoformat(),
        period_end=dates.period_end.isoformat(),
    )
    session.commit()


def rounds(session: Session) -> list[ReportingRound]:
    return list(session.scalars(select(ReportingRound).order_by(ReportingRound.year.desc())))


def report_of(session: Session, round_id: int, division_id: int) -> DivisionReport | None:
    return session.scalar(
        select(DivisionReport).where(
            DivisionReport.round_id == round_id, DivisionReport.division_id == division_id
        )
    )


def local_day(moment: datetime | None) -> date | None:
    return dialogue_rules.local_day(moment) if moment is not None else None


def overview(session: Session, round_: ReportingRound, *, today: date) -> list[OverviewRow]:
    """Every division's report with whether it is late against the division deadline."""
    rows = session.execute(
        select(DivisionReport, Division.name)
        .join(Division, DivisionReport.division_id == Division.id)
        .where(DivisionReport.round_id == round_.id)
        .order_by(Division.name)
    ).all()
    return [
        OverviewRow(
            report,
            name,
            rules.is_late(
                status=report.status,
                due_on=round_.division_due_on,
                today=today,
                submitted_on=local_day(report.submitted_at),
            ),
        )
        for report, name in rows
    ]


# --- figures ------------------------------------------------------------------------------


def figures_from(stats: statistics.Statistics) -> Figures:
    """The report's figures (ids of rules.FIGURES) taken from the statistics."""
    return {
        "cases_received": stats.received,
        "cases_resolved": stats.resolved,
        "met_on_time": stats.met_on_time,
        "met_late": stats.met_late,
        "on_time_rate": stats.on_time_rate,
        "overdue_open": stats.overdue_now,
        "average_days": stats.days_to_resolve_average,
        "sessions_held": stats.sessions_held,
        "head_duty_met": stats.duty_met,
        "head_duty_missed": stats.duty_missed,
        "follow_ups_on_time": stats.follow_ups_on_time,
        "satisfaction_average": stats.rating_average,
        "satisfaction_responses": stats.rated,
        "articles_published": stats.articles_published,
    }


def compute_figures(
    session: Session, round_: ReportingRound, *, division_id: int | None, today: date
) -> Figures:
    """The figures of the round's period, for one division or (None) the whole department.

    A division's report leaves out the figures counted only for the whole department."""
    stats = statistics.compute(
        session,
        start=round_.period_start,
        end=round_.period_end,
        division_id=division_id,
        today=today,
    )
    wanted = rules.report_figures(division=division_id is not None)
    every = figures_from(stats)
    return {key: every[key] for key in wanted}


def shown_figures(
    session: Session, report: DivisionReport, round_: ReportingRound, *, today: date
) -> Figures:
    """The snapshot of a submitted report; live figures while it is being written."""
    if report.status == "submitted" and report.figures:
        return dict(report.figures)
    return compute_figures(session, round_, division_id=report.division_id, today=today)


# --- a division's report --------------------------------------------------------------------


def _editable(report: DivisionReport) -> None:
    if report.round.status != "open":
        raise ReportError("compiled")
    if report.status == "submitted":
        raise ReportError("submitted")


def _store_sections(
    report: DivisionReport,
    sections: Mapping[str, object],
    *,
    submitting: bool,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Check and keep the text of an editable report; ReportError names what is wrong."""
    _editable(report)
    cleaned = rules.clean_sections(sections)
    found = rules.problems(cleaned, submitting=submitting)
    if found:
        raise ReportError("invalid", found)
    report.sections = cleaned
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
    record(
        session,
        actor_id=actor_id,
        action="division_report.save",
        now=now,
        target_type="division_report",
        target_id=report.id,
        division_id=report.division_id,
    )
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
    record(
        session,
        actor_id=actor_id,
        action="division_report.submit",
        now=now,
        target_type="division_report",
        target_id=report.id,
        division_id=report.division_id,
        late=rules.is_late(
            status="submitted",
            due_on=report.round.division_due_on,
            today=today,
            submitted_on=local_day(now),
        ),
    )
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
    if report.round.status != "open":
        raise ReportError("compiled")
    if report.status != "submitted":
        raise ReportError("not_submitted")
    reason = reason.strip()
    if not reason or len(reason) > rules.MAX_REASON_LENGTH:
        raise ReportError("reason")
    report.status = "returned"
    report.return_reason = reason
    report.updated_by_id = actor_id
    report.updated_at = now
    submitter = session.get(User, report.submitted_by_id) if report.submitted_by_id else None
    if notify is not None and submitter is not None and submitter.active:
        subject, body = notify(submitter, report)
        queue(session, recipient=submitter.email, subject=subject, body=body, now=now)
    record(
        session,
        actor_id=actor_id,
        action="division_report.return",
        now=now,
        target_type="division_report",
        target_id=report.id,
        division_id=report.division_id,
        reason=reason,
    )
    session.commit()


# --- the Office's consolidated report --------------------------------------------------------


def draft_office_sections(session: Session, round_: ReportingRound) -> dict[str, str]:
    """The Office's text to start from: its saved text, or the submitted divisions' text
    per section, each paragraph headed by the division's name."""
    if any(round_.sections.get(s) for s in rules.SECTION_IDS):
        return rules.clean_sections(round_.sections)
    rows = session.execute(
        select(DivisionReport, Division.name)
        .join(Division, DivisionReport.division_id == Division.id)
        .where(DivisionReport.round_id == round_.id, DivisionReport.status == "submitted")
        .order_by(Division.name)
    ).all()
    drafted: dict[str, str] = {}
    for section_id in rules.SECTION_IDS:
        parts = [
            f"{name}: {report.sections.get(section_id, '').strip()}"
            for report, name in rows
            if report.sections.get(section_id, "").strip()
        ]
        drafted[section_id] = "\n\n".join(parts)[: rules.MAX_SECTION_LENGTH]
    return drafted


def save_office_sections(
    session: Session,
    round_: ReportingRound,
    sections: Mapping[str, object],
    *,
    document_number: str | None,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Keep the Office's consolidated text; commit."""
    if round_.status != "open":
        raise ReportError("compiled")
    cleaned = rules.clean_sections(sections)
    found = rules.problems(cleaned, submitting=False)
    if found:
        raise ReportError("invalid", found)
    round_.sections = cleaned
    round_.document_number = (document_number or "").strip() or None
    round_.updated_at = now
    record(
        session,
        actor_id=actor_id,
        action="report_round.save",
        now=now,
        target_type="reporting_round",
        target_id=round_.id,
    )
    session.commit()


def compile_round(
    session: Session,
    round_: ReportingRound,
    sections: Mapping[str, object],
    *,
    document_number: str | None,
    actor_id: int | None,
    now: datetime,
    today: date,
) -> None:
    """Fix the consolidated text and the department's figures; the round closes. Commit.

    Divisions that have not submitted do not stop the Office: it must report by its own
    deadline; the document's appendix shows who reported and when."""
    if round_.status != "open":
        raise ReportError("compiled")
    cleaned = rules.clean_sections(sections)
    found = rules.problems(cleaned, submitting=True)
    if found:
        raise ReportError("invalid", found)
    round_.sections = cleaned
    round_.document_number = (document_number or "").strip() or None
    round_.figures = compute_figures(session, round_, division_id=None, today=today)
    round_.status = "compiled"
    round_.compiled_by_id = actor_id
    round_.compiled_at = now
    round_.updated_at = now
    missing = [r.division_id for r in round_.reports if r.status != "submitted"]
    record(
        session,
        actor_id=actor_id,
        action="report_round.compile",
        now=now,
        target_type="reporting_round",
        target_id=round_.id,
        not_submitted=missing,
    )
    session.commit()


def reopen_round(
    session: Session, round_: ReportingRound, reason: str, *, actor_id: int | None, now: datetime
) -> None:
    """The Office reopens a compiled round to correct its report, with a reason. Its text is
    kept to edit; the department's figures are taken again when it is compiled again, and
    the documents cannot be downloaded until then. Commit."""
    if round_.status != "compiled":
        raise ReportError("not_compiled")
    reason = reason.strip()
    if not reason or len(reason) > rules.MAX_REASON_LENGTH:
        raise ReportError("reason")
    round_.status = "open"
    round_.compiled_by_id = None
    round_.compiled_at = None
    round_.updated_at = now
    record(
        session,
        actor_id=actor_id,
        action="report_round.reopen",
        now=now,
        target_type="reporting_round",
        target_id=round_.id,
        reason=reason,
    )
    session.commit()


def office_figures(session: Session, round_: ReportingRound, *, today: date) -> Figures:
    """The compiled snapshot, or the live department-wide figures while the round is open."""
    if round_.status == "compiled" and round_.figures:
        return dict(round_.figures)
    return compute_figures(session, round_, division_id=None, today=today)


# --- reminders ------------------------------------------------------------------------------


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
        record(
            session,
            actor_id=None,
            action="division_report.remind",
            now=now,
            target_type="division_report",
            target_id=report.id,
            division_id=division.id,
            kind=kind,
            recipients=len(writers),
        )
    session.commit()
    return queued
