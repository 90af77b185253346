"""Reporting rounds: the Office opens the round of a year (one report per staffed division),
changes its dates while it is open, and follows every division's report in the overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import yearly_report as rules
from portal.models import Division, DivisionReport, ReportingRound, User
from portal.services.yearly_reports.common import (
    ReportError,
    audit,
    local_day,
    require_open,
)


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
    audit(
        session,
        round_,
        "report_round.open",
        actor_id=actor_id,
        now=now,
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
    require_open(round_)
    _check_dates(dates, round_.year)
    round_.division_due_on = dates.division_due_on
    round_.office_due_on = dates.office_due_on
    round_.period_start = dates.period_start
    round_.period_end = dates.period_end
    round_.updated_at = now
    audit(
        session,
        round_,
        "report_round.dates",
        actor_id=actor_id,
        now=now,
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
