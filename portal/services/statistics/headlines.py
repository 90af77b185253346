"""The public page and the API: headline figures per month of a year, and the year's total;
nothing in them identifies anyone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import dialogues as dialogue_rules
from portal.domain.periods import rate
from portal.models import Dialogue
from portal.services.statistics import tallies
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
    # the year's tallies (migration 0022), per day, summed here per month
    figures: dict[str, Counter[int]] = {
        name: Counter()
        for name in ("received", "resolved", "on_time", "late", "overdue", "rating", "rated")
    }
    today_iso = today.isoformat()
    for dimension, day, count in tallies.per_day(
        session, *tallies.where(("status", "answered"), start=start, end=end)
    ):
        figures["received" if dimension == "status" else "resolved"][day.month] += int(count)
    for dimension, day, value, count in tallies.by_day(
        session, *tallies.where(("open", "rating", "met"), start=start, end=end)
    ):
        month, count = day.month, int(count)
        if dimension == "open":
            due = value.partition("/")[2]
            if due and due < today_iso:
                figures["overdue"][month] += count
        elif dimension == "rating":
            figures["rating"][month] += int(value.partition("/")[0]) * count
            figures["rated"][month] += count
        else:
            timing = value.rpartition("/")[2]
            if timing in ("on_time", "late"):
                figures[timing][month] += count
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
        rows.append(
            Headline(
                year=year,
                month=month,
                received=figures["received"][month],
                resolved=figures["resolved"][month],
                met_on_time=figures["on_time"][month],
                met_late=figures["late"][month],
                overdue=figures["overdue"][month],
                rating_total=figures["rating"][month],
                rated=figures["rated"][month],
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
