"""`compute`: every figure of the officials' statistics for a period, each an aggregate the
database counts (the cases' figures here, the other work's in `activity`)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, case, func, select
from sqlalchemy.orm import Session

from portal.domain.periods import mean, median
from portal.domain.workflow import KINDS, OPEN_STATUSES
from portal.models import Case, Deadline
from portal.services.statistics.activity import article_figures, follow_up_figures, session_figures
from portal.services.statistics.conditions import (
    ANSWERED_STATUSES,
    OUTCOMES,
    OUTSIDE_GROUND,
    RATINGS,
    open_on_parts,
)
from portal.services.statistics.figures import RuleFigures, Statistics


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _in_division(division_id: int | None) -> list[ColumnElement[bool]]:
    return [Case.division_id == division_id] if division_id else []


def compute(
    session: Session, *, start: date, end: date, division_id: int | None, today: date
) -> Statistics:
    """Every figure of the officials' statistics for the days start..end (see the package)."""
    division = _in_division(division_id)
    # Grouped in the order of ix_cases_statistics, which also holds received_on: the database
    # reads that index in order instead of sorting the period's cases.
    grouped = (
        Case.kind,
        Case.channel,
        Case.status,
        Case.field,
        Case.satisfaction_rating,
        Case.outcome_ground,
    )
    received_day = _unsorted(session, Case.received_on)
    received_rows = session.execute(
        select(*grouped, func.count())
        .where(received_day >= start, received_day <= end, *division)
        .group_by(*grouped)
    ).all()
    by_kind: Counter[str] = Counter({kind: 0 for kind in KINDS})
    by_channel: Counter[str] = Counter()
    by_field: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    ratings: Counter[int] = Counter({rating: 0 for rating in RATINGS})
    outside = answered = 0
    for kind, channel, status, field_name, rating, ground, count in received_rows:
        by_kind[kind] += count
        by_channel[channel] += count
        by_field[field_name or ""] += count
        by_status[status] += count
        if status in ANSWERED_STATUSES:
            answered += count
            if rating in ratings:
                ratings[rating] += count
        if status in ("guided", "forwarded") or (
            status == "not_accepted" and ground == OUTSIDE_GROUND
        ):
            outside += count
    received = sum(by_status.values())
    outcomes = {name: sum(by_status[s] for s in statuses) for name, statuses in OUTCOMES.items()}
    unclassified = outcomes["unclassified"]

    # three counts rather than one OR, so each can use its own index
    carried_over = sum(_count(session, part, *division) for part in open_on_parts(start))

    met_rows = session.execute(
        _with_division(
            select(
                Deadline.rule_id,
                func.sum(case((Deadline.met_on <= Deadline.due_on, 1), else_=0)),
                func.sum(case((Deadline.met_on > Deadline.due_on, 1), else_=0)),
            )
            .where(
                Deadline.case_id.is_not(None),
                Deadline.met_on >= start,
                Deadline.met_on <= end,
                Deadline.stopped_reason.is_(None),
            )
            .group_by(Deadline.rule_id)
            .order_by(Deadline.rule_id),
            division_id,
        )
    ).all()
    by_rule = tuple(
        RuleFigures(rule_id, int(on_time or 0), int(late or 0))
        for rule_id, on_time, late in met_rows
    )

    open_row = session.execute(
        select(
            func.count(),
            func.sum(case((Case.next_due_on < today, 1), else_=0)),
        ).where(Case.status.in_(OPEN_STATUSES), Case.received_on <= end, *division)
    ).one()

    # Grouped by the two days in the order of ix_cases_answered: no sort; a year has a few
    # thousand pairs, turned into days here.
    histogram: Counter[int] = Counter()
    for answered_on, received_on, count in session.execute(
        select(Case.answered_on, Case.received_on, func.count())
        .where(Case.answered_on >= start, Case.answered_on <= end, *division)
        .group_by(Case.answered_on, Case.received_on)
    ):
        histogram[(answered_on - received_on).days] += count

    sessions = session_figures(session, start, end, today)
    follow_ups = follow_up_figures(session, start, end, division_id)
    articles_total, by_category = article_figures(session, start, end, today)
    return Statistics(
        start=start,
        end=end,
        division_id=division_id,
        today=today,
        received=received,
        received_by_kind=dict(by_kind),
        received_by_channel=dict(sorted(by_channel.items())),
        received_by_field=dict(sorted(by_field.items())),
        carried_over=carried_over,
        within_competence=received - outside - unclassified,
        outside_competence=outside,
        unclassified=unclassified,
        outcomes=outcomes,
        deadlines_by_rule=by_rule,
        open_now=int(open_row[0] or 0),
        overdue_now=int(open_row[1] or 0),
        resolved=sum(histogram.values()),
        days_to_resolve_average=mean(histogram),
        days_to_resolve_median=median(histogram),
        ratings=dict(sorted(ratings.items())),
        answered=answered,
        articles_published=articles_total,
        articles_by_category=by_category,
        **sessions,
        **follow_ups,
    )


def _count(session: Session, *conditions: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0


def _with_division(query: Any, division_id: int | None) -> Any:
    if not division_id:
        return query
    return query.where(Deadline.case_id.in_(select(Case.id).where(Case.division_id == division_id)))


def _unsorted(session: Session, column: Any) -> Any:
    """`column` as SQLite's planner will not use for a range: a grouped query then reads a
    covering index in GROUP BY order instead of sorting every row it counts. PostgreSQL
    hashes the groups, so there the column stays as it is."""
    if _dialect(session) == "sqlite":
        return func.date(column, type_=Date)
    return column
