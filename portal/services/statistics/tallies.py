"""Reading `case_tallies` (migration 0022): the cases counted per figure, local day, division
and value, kept by the database's triggers. The statistics read these rows (a few thousand for
a year) instead of a year of cases, and get the same exact figures.

What each dimension's value holds (its day is `received_on` unless said otherwise):
kind, channel, field ('' for none); status ("not_accepted/<ground>" for a refused case);
rating ("<rating>/answered" for a resolved or closed case, "<rating>/" otherwise); open
("<status>/<next_due_on or ''>"); answered (day `answered_on`: "<received_on>/answered" or
"<received_on>/"); ended (day `ended_on`: "<received_on>"); met (day `met_on` of a deadline
not stopped: "<rule>/on_time", "<rule>/late" or "<rule>/" without a due date).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, Row, cast, func, select
from sqlalchemy.orm import Session

from portal.models import CaseTally

ANSWERED_MARK = "/answered"


def where(
    dimensions: Iterable[str],
    *,
    division_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[ColumnElement[bool]]:
    """The rows of `dimensions` on the days start..end (either end open), of one division."""
    names = tuple(dimensions)
    conditions = [
        CaseTally.dimension == names[0] if len(names) == 1 else CaseTally.dimension.in_(names)
    ]
    if start is not None:
        conditions.append(CaseTally.day >= start)
    if end is not None:
        conditions.append(CaseTally.day <= end)
    if division_id:
        conditions.append(CaseTally.division_id == division_id)
    return conditions


def by_value(session: Session, *conditions: ColumnElement[bool]) -> list[Row[Any]]:
    """(dimension, value, cases) summed over the days and divisions the conditions keep."""
    return list(
        session.execute(
            select(CaseTally.dimension, CaseTally.value, func.sum(CaseTally.cases))
            .where(*conditions)
            .group_by(CaseTally.dimension, CaseTally.value)
        )
    )


def by_day(session: Session, *conditions: ColumnElement[bool]) -> list[Row[Any]]:
    """(dimension, day, value, cases) summed over the divisions the conditions keep."""
    return list(
        session.execute(
            select(CaseTally.dimension, CaseTally.day, CaseTally.value, func.sum(CaseTally.cases))
            .where(*conditions)
            .group_by(CaseTally.dimension, CaseTally.day, CaseTally.value)
        )
    )


def per_day(session: Session, *conditions: ColumnElement[bool]) -> list[Row[Any]]:
    """(dimension, day, cases) summed over the values and divisions the conditions keep."""
    return list(
        session.execute(
            select(CaseTally.dimension, CaseTally.day, func.sum(CaseTally.cases))
            .where(*conditions)
            .group_by(CaseTally.dimension, CaseTally.day)
        )
    )


def days_to_resolve(session: Session, *conditions: ColumnElement[bool]) -> list[Row[Any]]:
    """(days, cases) of the "answered" rows the conditions keep: days from `received_on` (the
    value's date) to `answered_on` (the row's day), counted by the database."""
    received_on = func.substr(CaseTally.value, 1, 10)
    if session.get_bind().dialect.name == "sqlite":
        days: Any = cast(func.julianday(CaseTally.day) - func.julianday(received_on), Integer)
    else:
        days = CaseTally.day - cast(received_on, Date)
    return list(
        session.execute(select(days, func.sum(CaseTally.cases)).where(*conditions).group_by(days))
    )


def total(session: Session, *conditions: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.sum(CaseTally.cases)).where(*conditions)) or 0)


def received_before(start: date, *, answered: bool = False) -> list[ColumnElement[bool]]:
    """Rows whose value begins with a received_on before `start` (an ISO date sorts as a
    string; "2026-01-01/..." sorts after "2026-01-01"); with `answered`, answered cases only."""
    conditions = [CaseTally.value < start.isoformat()]
    if answered:
        conditions.append(CaseTally.value.like(f"%{ANSWERED_MARK}"))
    return conditions


def split(value: str) -> tuple[str, str]:
    """ "status/rest" -> ("status", "rest")."""
    head, _, rest = value.partition("/")
    return head, rest
