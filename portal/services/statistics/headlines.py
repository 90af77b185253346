"""The public page and the API: headline figures per month of a year, and the year's total;
nothing in them identifies anyone."""

from __future__ import annotations

import calendar as month_calendar
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from portal.domain import dialogues as dialogue_rules
from portal.domain.periods import rate
from portal.domain.workflow import OPEN_STATUSES
from portal.models import Case, Deadline, Dialogue
from portal.services.statistics.conditions import moments


@dataclass(frozen=True)
class Headline:
    """The public figures of one month (`month` 1-12) or of the whole year (`month` None)."""

    year: int
    month: int | None
    received: int
    resolved: int
    met_on_time: int
    met_late: int
    overdue: int
    rating_total: int
    rated: int
    sessions_held: int

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.met_on_time, self.met_on_time + self.met_late)

    @property
    def rating_average(self) -> float | None:
        return self.rating_total / self.rated if self.rated else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "month": self.month,
            "received": self.received,
            "resolved": self.resolved,
            "met_on_time": self.met_on_time,
            "met_late": self.met_late,
            "on_time_rate": self.on_time_rate,
            "overdue": self.overdue,
            "rated": self.rated,
            "rating_average": self.rating_average,
            "sessions_held": self.sessions_held,
        }


def public_headlines(session: Session, *, year: int, today: date) -> list[Headline]:
    """Twelve months of `year` then the year's total, nothing that identifies anyone.

    Per month: received in the month; resolved (answer approved) in the month; deadlines met
    in the month on time or late; cases received in the month open and overdue today;
    ratings of cases received in the month; sessions held in the month. Months after today
    are left out.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    last_month = 12 if today.year > year else (today.month if today.year == year else 0)
    overdue = and_(Case.status.in_(OPEN_STATUSES), Case.next_due_on < today)
    received, resolved, met = {}, {}, {}
    # One range per month and figure: each reads a covering index, nothing is sorted.
    for month in range(1, last_month + 1):
        first = date(year, month, 1)
        last = date(year, month, month_calendar.monthrange(year, month)[1])
        received[month] = session.execute(
            select(
                func.count(),
                func.sum(case((overdue, 1), else_=0)),
                func.sum(func.coalesce(Case.satisfaction_rating, 0)),
                func.count(Case.satisfaction_rating),
            ).where(Case.received_on >= first, Case.received_on <= last)
        ).one()
        resolved[month] = session.scalar(
            select(func.count()).where(Case.answered_on >= first, Case.answered_on <= last)
        )
        met[month] = session.execute(
            select(
                func.sum(case((Deadline.met_on <= Deadline.due_on, 1), else_=0)),
                func.sum(case((Deadline.met_on > Deadline.due_on, 1), else_=0)),
            ).where(
                Deadline.met_on >= first,
                Deadline.met_on <= last,
                Deadline.stopped_reason.is_(None),
                Deadline.case_id.is_not(None),
            )
        ).one()
    begin, finish = moments(start, end)
    held: Counter[int] = Counter(
        dialogue_rules.local_day(moment).month
        for moment in session.scalars(
            select(Dialogue.starts_at).where(
                Dialogue.status == "held", Dialogue.starts_at >= begin, Dialogue.starts_at < finish
            )
        )
    )
    rows = []
    for month in range(1, last_month + 1):
        got = received[month]
        rows.append(
            Headline(
                year=year,
                month=month,
                received=int(got[0] or 0),
                resolved=int(resolved[month] or 0),
                met_on_time=int(met[month][0] or 0),
                met_late=int(met[month][1] or 0),
                overdue=int(got[1] or 0),
                rating_total=int(got[2] or 0),
                rated=int(got[3] or 0),
                sessions_held=held[month],
            )
        )
    total = Headline(
        year=year,
        month=None,
        **{
            name: sum(getattr(row, name) for row in rows)
            for name in (
                "received",
                "resolved",
                "met_on_time",
                "met_late",
                "overdue",
                "rating_total",
                "rated",
                "sessions_held",
            )
        },
    )
    return [*rows, total]
