"""Every change to a case goes through `perform`: the rules of domain/workflow.py, the
deadlines of the engine, one CaseEvent and one audit entry, in one transaction.

Longer than 400 lines because it is one table: each action's effect on the case and its
deadlines sits beside the others, so what an action starts, meets or stops reads in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from portal.domain import workflow
from portal.domain.calendar import WorkingCalendar
from portal.domain.deadlines import DeadlineError, Rule
from portal.models import Case, CaseEvent, Deadline, User
from portal.services import ServiceError
from portal.services.audit import record
from portal.services.deadlines import compute


class WorkflowError(ServiceError):
    """The action was refused; `code` says why (a workflow or deadline reason)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class ActionInput:
    note: str | None = None
    ground: str | None = None
    body: str | None = None
    day: date | None = None
    answer: str | None = None
    assignee_id: int | None = None
    division_id: int | None = None
    complexity: str | None = None
    earlier: str | None = None  # number of an earlier case of the same matter
    remote_area: bool | None = None
    extra: dict[str, object] = field(default_factory=dict)


# What an action does to the case beyond its status change; returns the event's note.
Effect = Callable[[Case, ActionInput, date, dict[str, Rule], WorkingCalendar], str | None]


def facts(case: Case) -> workflow.CaseFacts:
    return workflow.CaseFacts(
        kind=case.kind,
        status=case.status,
        signed_letter=case.signed_letter_on is not None,
        has_draft_answer=bool(case.draft_answer),
        assigned=case.assignee_id is not None,
        confidential=case.confidential,
    )


def perform(
    session: Session,
    *,
    case: Case,
    action_name: str,
    actor: User,
    data: ActionInput,
    today: date,
    now: datetime,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
) -> CaseEvent:
    try:
        action = workflow.check(action_name, facts(case), actor.roles)
    except workflow.ActionRefused as refused:
        raise WorkflowError(refused.code) from refused
    for need in action.needs:
        value = getattr(data, {"assignee": "assignee_id"}.get(need, need), None)
        if value in (None, ""):
            raise WorkflowError("missing_" + need)
    if action.name in ("refuse", "file") and data.ground not in _grounds(action.name, case.kind):
        raise WorkflowError("bad_ground")

    before = case.status
    note = _EFFECTS[action.name](case, data, today, rules, calendar)
    if action.to_status:
        case.status = action.to_status
    if action.to_status in workflow.FINAL_STATUSES and action.name != "approve_answer":
        _stop_open_deadlines(case, today, reason=action.to_status or action.name)
    case.updated_at = now
    case.refresh_next_due()
    event = CaseEvent(
        at=now,
        actor_id=actor.id,
        action=action.name,
        from_status=before,
        to_status=case.status,
        note=note,
        visible_to_citizen=action.visible_to_citizen,
    )
    case.events.append(event)
    record(
        session,
        actor_id=actor.id,
        action=f"case.{action.name}",
        now=now,
        target_type="case",
        target_id=case.id,
        from_status=before,
        to_status=case.status,
    )
    session.commit()
    return event


def _grounds(action_name: str, kind: str) -> tuple[str, ...]:
    if action_name == "file":
        return workflow.FILING_GROUNDS
    return workflow.REFUSAL_GROUNDS.get(kind, ())


def _open(case: Case, rule_id: str | None = None) -> list[Deadline]:
    return [
        d for d in case.deadlines if d.met_on is None and (rule_id is None or d.rule_id == rule_id)
    ]


def _meet(case: Case, today: date, *rule_ids: str) -> None:
    for deadline in _open(case):
        if deadline.rule_id in rule_ids:
            deadline.met_on = today


def _stop_open_deadlines(case: Case, today: date, *, reason: str) -> None:
    for deadline in _open(case):
        deadline.met_on = today
        deadline.stopped_reason = reason[:20]


def _start(
    case: Case,
    rule_id: str,
    start: date,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
    *,
    met_on: date | None = None,
) -> Deadline:
    rule = rules[rule_id]
    deadline = Deadline(
        rule_id=rule_id,
        legal_basis=rule.legal_basis,
        started_on=start,
        complex=case.complexity in ("complex", "very_complex"),
        very_complex=case.complexity == "very_complex",
        remote=case.remote_area,
        multi_place=False,
        extensions=0,
        paused_days=0,
        due_on=start,
        met_on=met_on,
    )
    _recompute(deadline, rules, calendar)
    case.deadlines.append(deadline)
    return deadline


def _recompute(deadline: Deadline, rules: dict[str, Rule], calendar: WorkingCalendar) -> None:
    try:
        result = compute(deadline, rules, calendar, explain=False)
    except DeadlineError as error:
        raise WorkflowError(error.code, **error.params) from error
    deadline.due_on = result.due


# --- effects: each returns the note for the event ----------------------------------------


def _record_signed_letter(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    signed_on = data.day or today  # the form asks for the day; today if a caller gave none
    case.signed_letter_on = signed_on
    rule_id = workflow.acceptance_rule(case.kind, case.round)
    if rule_id:
        _start(case, rule_id, signed_on, rules, calendar)
    return data.note


def _accept(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    _meet(
        case,
        today,
        "letter.process",
        "complaint.accept",
        "complaint2.accept",
        "denunciation.intake",
    )
    rule_id = workflow.resolve_rule(case.kind, case.round)
    if rule_id:
        _start(case, rule_id, today, rules, calendar)
    if case.kind == "denunciation":
        _start(case, "denunciation.notify_acceptance", today, rules, calendar, met_on=today)
    return data.note


def _refuse(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    case.outcome_ground = data.ground
    return data.note


def _guide(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    return data.note


def _forward(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    case.forwarded_to = data.body
    rule_id = {"denunciation": "denunciation.transfer", "petition": "petition.forward"}.get(
        case.kind
    )
    if rule_id:
        _start(case, rule_id, case.received_on, rules, calendar, met_on=today)
    return data.body if not data.note else f"{data.body}: {data.note}"


def _file(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    case.outcome_ground = data.ground
    return data.note


def _treat_as_information(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    _meet(case, today, "letter.process", "denunciation.intake")
    return data.note


def _assign(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    case.assignee_id = data.assignee_id
    if data.division_id:
        case.division_id = data.division_id
    return data.note


def _link_earlier(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    from sqlalchemy import select
    from sqlalchemy.orm import object_session

    from portal.domain.tracking import parse_case_number

    parsed = parse_case_number(data.earlier or "")
    session = object_session(case)
    earlier = (
        parsed
        and session
        and session.scalar(select(Case).where(Case.year == parsed[0], Case.sequence == parsed[1]))
    )
    if not earlier or earlier.id == case.id:
        raise WorkflowError("unknown_case")
    case.duplicate_of_id = earlier.id
    return f"{earlier.number}" + (f": {data.note}" if data.note else "")


def _note(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    return data.note


def _extend(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    rule_id = workflow.resolve_rule(case.kind, case.round)
    targets = _open(case, rule_id) if rule_id else []
    if not targets:
        raise WorkflowError("nothing_to_extend")
    for deadline in targets:
        deadline.extensions += 1
        _recompute(deadline, rules, calendar)
    return data.note


def _set_complexity(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    if data.complexity not in ("normal", "complex", "very_complex"):
        raise WorkflowError("bad_complexity")
    case.complexity = data.complexity
    if data.remote_area is not None:
        case.remote_area = data.remote_area
    for deadline in _open(case):
        deadline.complex = data.complexity in ("complex", "very_complex")
        deadline.very_complex = data.complexity == "very_complex"
        deadline.remote = case.remote_area
        _recompute(deadline, rules, calendar)
    return data.note


def _suspend(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    for deadline in _open(case):
        deadline.paused_since = today
    return data.note


def _resume(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    for deadline in _open(case):
        if deadline.paused_since is not None:
            deadline.paused_days += max((today - deadline.paused_since).days, 0)
            deadline.paused_since = None
            _recompute(deadline, rules, calendar)
    return data.note


def _draft_answer(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    case.draft_answer = data.answer
    return data.note


def _approve_answer(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    case.public_answer = case.draft_answer
    case.answered_on = today
    for attachment in case.attachments:
        if attachment.uploaded_by == "official":
            attachment.visible_to_citizen = True
    if case.kind == "complaint":
        # The decision must be made public (Decree 124/2020 Art. 29).
        _start(case, "complaint.publish_decision", today, rules, calendar)
    rule_id = workflow.resolve_rule(case.kind, case.round)
    _meet(case, today, *(r for r in (rule_id, "letter.process") if r))
    return data.note


def _record_publication(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    if not _open(case, "complaint.publish_decision"):
        raise WorkflowError("nothing_to_publish")
    _meet(case, today, "complaint.publish_decision")
    return data.note


def _close(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    return data.note


def _withdraw_partly(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    # The citizen withdraws some requests; the rest of the letter goes on being handled.
    return data.note


def _withdraw(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    return data.note


def _reopen(
    case: Case, data: ActionInput, today: date, rules: dict[str, Rule], calendar: WorkingCalendar
) -> str | None:
    return data.note


_EFFECTS: dict[str, Effect] = {
    "record_signed_letter": _record_signed_letter,
    "accept": _accept,
    "refuse": _refuse,
    "guide": _guide,
    "forward": _forward,
    "file": _file,
    "treat_as_information": _treat_as_information,
    "assign": _assign,
    "link_earlier": _link_earlier,
    "note": _note,
    "extend": _extend,
    "set_complexity": _set_complexity,
    "suspend": _suspend,
    "resume": _resume,
    "draft_answer": _draft_answer,
    "approve_answer": _approve_answer,
    "record_publication": _record_publication,
    "close": _close,
    "withdraw_partly": _withdraw_partly,
    "withdraw": _withdraw,
    "reopen": _reopen,
}
