"""The report's figures: taken from `portal.services.statistics` for the round's period, for
one division or the whole department; the snapshot of a submitted report once it is taken."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from portal.domain import yearly_report as rules
from portal.models import DivisionReport, ReportingRound
from portal.services import statistics
from portal.services.yearly_reports.common import Figures


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
