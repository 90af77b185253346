"""Requests about personal data, tracked on the data_request.* deadlines (Decree 356/2025)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.calendar import WorkingCalendar
from portal.domain.deadlines import DeadlineError, Rule, due_date
from portal.domain.tracking import parse_case_number
from portal.models import Case, DataRequest, Deadline
from portal.services import ServiceError
from portal.services.audit import record

REQUEST_TYPES = ("access", "correction", "deletion", "restriction", "objection", "withdraw_consent")
OUTCOMES = ("fulfilled", "partly_fulfilled", "refused_legal_retention", "refused_other")


class DataRequestError(ServiceError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class NewRequest:
    request_type: str
    received_on: date
    requester_name: str
    contact: str
    details: str
    case_number: str | None = None


def _deadline(rule: Rule, start: date, calendar: WorkingCalendar, extensions: int = 0) -> date:
    return due_date(rule, start, calendar, extensions=extensions, explain=False).due


def register(
    session: Session,
    data: NewRequest,
    *,
    actor_id: int,
    now: datetime,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
) -> DataRequest:
    if data.request_type not in REQUEST_TYPES:
        raise DataRequestError("bad_type")
    case_id = None
    if data.case_number:
        parsed = parse_case_number(data.case_number)
        case_id = parsed and session.scalar(
            select(Case.id).where(Case.year == parsed[0], Case.sequence == parsed[1])
        )
        if not case_id:
            raise DataRequestError("unknown_case")
    request = DataRequest(
        request_type=data.request_type,
        received_on=data.received_on,
        requester_name=data.requester_name,
        contact=data.contact,
        details=data.details,
        case_id=case_id,
        status="open",
        created_by_id=actor_id,
        created_at=now,
    )
    for rule_id in ("data_request.acknowledge", "data_request.complete"):
        rule = rules[rule_id]
        request.deadlines.append(
            Deadline(
                rule_id=rule_id,
                legal_basis=rule.legal_basis,
                started_on=data.received_on,
                due_on=_deadline(rule, data.received_on, calendar),
                extensions=0,
                paused_days=0,
                created_at=now,
            )
        )
    session.add(request)
    session.flush()
    record(
        session,
        actor_id=actor_id,
        action="data_request.register",
        now=now,
        target_type="data_request",
        target_id=request.id,
        request_type=data.request_type,
    )
    session.commit()
    return request


def _open(request: DataRequest, rule_id: str) -> Deadline | None:
    return next((d for d in request.deadlines if d.rule_id == rule_id and d.met_on is None), None)


def acknowledge(
    session: Session, request: DataRequest, *, actor_id: int, today: date, now: datetime
) -> None:
    deadline = _open(request, "data_request.acknowledge")
    if deadline is None:
        raise DataRequestError("already_acknowledged")
    deadline.met_on = today
    request.acknowledged_on = today
    record(
        session,
        actor_id=actor_id,
        action="data_request.acknowledge",
        now=now,
        target_type="data_request",
        target_id=request.id,
    )
    session.commit()


def extend(
    session: Session,
    request: DataRequest,
    *,
    actor_id: int,
    now: datetime,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
) -> None:
    deadline = _open(request, "data_request.complete")
    if deadline is None:
        raise DataRequestError("closed")
    try:
        deadline.due_on = _deadline(
            rules[deadline.rule_id], deadline.started_on, calendar, deadline.extensions + 1
        )
    except DeadlineError as error:
        raise DataRequestError(error.code) from error
    deadline.extensions += 1
    record(
        session,
        actor_id=actor_id,
        action="data_request.extend",
        now=now,
        target_type="data_request",
        target_id=request.id,
    )
    session.commit()


def complete(
    session: Session,
    request: DataRequest,
    *,
    outcome: str,
    note: str | None,
    actor_id: int,
    today: date,
    now: datetime,
) -> None:
    if outcome not in OUTCOMES:
        raise DataRequestError("bad_outcome")
    if request.status == "done":
        raise DataRequestError("closed")
    if outcome.startswith("refused") and not note:
        raise DataRequestError("reason_needed")
    for deadline in request.deadlines:
        if deadline.met_on is None:
            deadline.met_on = today
    request.status = "done"
    request.outcome = outcome
    request.outcome_note = note
    request.completed_on = today
    record(
        session,
        actor_id=actor_id,
        action="data_request.complete",
        now=now,
        target_type="data_request",
        target_id=request.id,
        outcome=outcome,
    )
    session.commit()
