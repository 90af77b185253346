"""What the figures count, as SQL conditions: the statuses each figure groups, the day
bounds of a period, and the conditions the officials' queue shares so that a figure and the
list of its cases agree (see the package docstring for what each figure means)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, exists, or_, select, union_all
from sqlalchemy.orm import aliased

from portal.domain import dialogues as dialogue_rules
from portal.domain.workflow import FINAL_STATUSES, OPEN_STATUSES
from portal.models import Case, CaseEvent, Deadline

ACCEPTED_STATUSES: Final = frozenset({"accepted", "in_progress", "suspended", "resolved", "closed"})
ANSWERED_STATUSES: Final = frozenset({"resolved", "closed"})
# Final statuses reached without an approved answer: their end is dated by the event.
ENDED_STATUSES: Final = FINAL_STATUSES - ANSWERED_STATUSES
OUTCOMES: Final[dict[str, frozenset[str]]] = {
    "accepted": ACCEPTED_STATUSES,
    "refused": frozenset({"not_accepted"}),
    "guided": frozenset({"guided"}),
    "forwarded": frozenset({"forwarded"}),
    "filed": frozenset({"filed"}),
    "withdrawn": frozenset({"withdrawn"}),
    "unclassified": frozenset({"received"}),
}
OUTSIDE_GROUND: Final = "outside_competence"
RATINGS: Final = (1, 2, 3, 4, 5)


def day_start_utc(day: date) -> datetime:
    """The UTC moment a local day begins."""
    return dialogue_rules.local_to_utc(day, time.min)


def moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC moments bounding the local days start..end (the second one excluded)."""
    return day_start_utc(start), day_start_utc(end + timedelta(days=1))


# --- SQL conditions, shared with the queue so a figure and its list agree -------------------


def received_between(start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    conditions = []
    if start is not None:
        conditions.append(Case.received_on >= start)
    if end is not None:
        conditions.append(Case.received_on <= end)
    return conditions


def open_on_parts(day: date, entity: Any = Case) -> list[ColumnElement[bool]]:
    """The three disjoint ways a case received before `day` was still open when it began."""
    ended_after = exists().where(
        CaseEvent.case_id == entity.id,
        CaseEvent.to_status.in_(ENDED_STATUSES),
        CaseEvent.at >= day_start_utc(day),
    )
    before = entity.received_on < day
    return [
        and_(entity.status.in_(OPEN_STATUSES), before),
        and_(entity.status.in_(ANSWERED_STATUSES), entity.answered_on >= day, before),
        and_(entity.status.in_(ENDED_STATUSES), before, ended_after),
    ]


def open_on(day: date) -> ColumnElement[bool]:
    """Cases received before `day` and not finished before it began (see "carried over").

    The ids of the three parts, each found through its own index, then the cases by id."""
    parts = []
    for condition in range(3):
        inner = aliased(Case)
        parts.append(select(inner.id).where(open_on_parts(day, inner)[condition]))
    return Case.id.in_(union_all(*parts))


def outside_competence() -> ColumnElement[bool]:
    return or_(
        Case.status.in_(("guided", "forwarded")),
        and_(Case.status == "not_accepted", Case.outcome_ground == OUTSIDE_GROUND),
    )


def within_competence() -> ColumnElement[bool]:
    """Classified and not outside our competence, said positively so an index on the status
    answers it."""
    return or_(
        Case.status.in_(ACCEPTED_STATUSES | {"filed", "withdrawn"}),
        and_(
            Case.status == "not_accepted",
            or_(Case.outcome_ground.is_(None), Case.outcome_ground != OUTSIDE_GROUND),
        ),
    )


def deadline_met_between(
    start: date, end: date, *, on_time: bool | None = None, rule_id: str | None = None
) -> ColumnElement[bool]:
    """Cases with a deadline met (not stopped) in the period; on time, late, or either.

    The matching deadlines are found by the day they were met, then their cases by id."""
    conditions = [
        Deadline.case_id.is_not(None),
        Deadline.met_on >= start,
        Deadline.met_on <= end,
        Deadline.stopped_reason.is_(None),
    ]
    if on_time is True:
        conditions.append(Deadline.met_on <= Deadline.due_on)
    elif on_time is False:
        conditions.append(Deadline.met_on > Deadline.due_on)
    if rule_id:
        conditions.append(Deadline.rule_id == rule_id)
    return Case.id.in_(select(Deadline.case_id).where(*conditions))
