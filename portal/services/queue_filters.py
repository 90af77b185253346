"""The queue's filters (services/queue.py) and the conditions on Case they stand for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement

from portal.models import Case


@dataclass(frozen=True)
class Filters:
    text: str = ""
    kind: str | None = None
    status: str | None = None
    due: str | None = None  # overdue | due_soon | open
    assignee_id: int | None = None
    division_id: int | None = None
    unassigned: bool = False
    # What a statistics figure puts on the list (see services/statistics/ for the meaning).
    received_from: date | None = None
    received_to: date | None = None
    channel: str | None = None
    field: str | None = None  # "-" for cases without a field
    statuses: tuple[str, ...] = ()
    competence: str | None = None  # within | outside
    open_on: date | None = None  # carried over into a period starting that day
    answered_from: date | None = None
    answered_to: date | None = None
    met_from: date | None = None  # with met_to: a deadline met (not stopped) in those days
    met_to: date | None = None
    met: str | None = None  # any | on_time | late
    rule_id: str | None = None
    rating: int | None = None  # 1-5, or 0 for any rating given

    @property
    def narrowed(self) -> bool:
        """True when a statistics filter is set: then the list is not the working queue."""
        return bool(
            self.received_from
            or self.received_to
            or self.channel
            or self.field
            or self.statuses
            or self.competence
            or self.open_on
            or self.answered_from
            or self.answered_to
            or (self.met_from and self.met_to)
            or self.rating is not None
        )


def filter_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """Kind, status, assignee, division and the statistics' filters (not the due state)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.kind:
        conditions.append(Case.kind == filters.kind)
    if filters.status:
        conditions.append(Case.status == filters.status)
    if filters.assignee_id:
        conditions.append(Case.assignee_id == filters.assignee_id)
    if filters.division_id:
        conditions.append(Case.division_id == filters.division_id)
    if filters.unassigned:
        conditions.append(Case.assignee_id.is_(None))
    return conditions + _statistics_conditions(filters)


def _statistics_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    from portal.services import statistics

    conditions = statistics.received_between(filters.received_from, filters.received_to)
    if filters.channel:
        conditions.append(Case.channel == filters.channel)
    if filters.field == "-":
        conditions.append(Case.field.is_(None))
    elif filters.field:
        conditions.append(Case.field == filters.field)
    if filters.statuses:
        conditions.append(Case.status.in_(filters.statuses))
    if filters.competence == "outside":
        conditions.append(statistics.outside_competence())
    elif filters.competence == "within":
        conditions.append(statistics.within_competence())
    if filters.open_on:
        conditions.append(statistics.open_on(filters.open_on))
    if filters.answered_from:
        conditions.append(Case.answered_on >= filters.answered_from)
    if filters.answered_to:
        conditions.append(Case.answered_on <= filters.answered_to)
    if filters.met_from and filters.met_to:
        on_time = {"on_time": True, "late": False}.get(filters.met or "")
        conditions.append(
            statistics.deadline_met_between(
                filters.met_from, filters.met_to, on_time=on_time, rule_id=filters.rule_id
            )
        )
    if filters.rating == 0:
        conditions.append(Case.satisfaction_rating.is_not(None))
    elif filters.rating:
        conditions.append(Case.satisfaction_rating == filters.rating)
    return conditions
