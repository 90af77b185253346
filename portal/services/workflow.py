"""Every change to a case goes through `perform`: the rules of domain/workflow.py, the
deadlines of the engine, one CaseEvent and one audit entry, in one transaction."""

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


@dataclass(frozen=True)
class Step:
    """What an action's effect works with: the case, what the official entered, the day, and the
    deadline rules and calendar that any clock it starts or moves is computed with."""

    case: Case
    data: ActionInput
    today: date
    rules: dict[str, Rule]
    calendar: WorkingCalendar


# What an action does to the case beyond its status change; returns the event's note.
Effect = Callable[[Step], str | None]


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
    note = _EFFECTS[action.name](Step(case, data, today, rules, calendar))
    if action.to_status:
        case.status = action.to_status
    if action.to_status in workflow.FINAL_STATUSES and action.name != "approve_answer":
        # A final status ends the handling, not a duty that only its own event meets.
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
        **({"reason": note} if action.name == "stop_duty" else {}),
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
        if deadline.rule_id in workflow.DUTIES_AFTER_DECISION:
            continue
        deadline.met_on = today
        deadline.stopped_reason = reason[:20]


def _start(step: Step, rule_id: str, start: date, *, met_on: date | None = None) -> Deadline:
    """Start the clock `rule_id` on the step's case from `start` (already met on `met_on`)."""
    case = step.case
    rule = step.rules[rule_id]
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
    _recompute(deadline, step.rules, step.calendar)
    case.deadlines.append(deadline)
    return deadline


def _recompute(deadline: Deadline, rules: dict[str, Rule], calendar: WorkingCalendar) -> None:
    try:
        result = compute(deadline, rules, calendar, explain=False)
    except DeadlineError as error:
        raise WorkflowError(error.code, **error.params) from error
    deadline.due_on = result.due


# --- effects: each returns the note for the event ----------------------------------------


def _note_only(step: Step) -> str | None:
    """Actions whose whole effect is the status change and the event's note."""
    return step.data.note


def _record_signed_letter(step: Step) -> str | None:
    signed_on = step.data.day or step.today  # the form asks for the day; a caller may not
    step.case.signed_letter_on = signed_on
    rule_id = workflow.acceptance_rule(step.case.kind, step.case.round)
    if rule_id:
        _start(step, rule_id, signed_on)
    return step.data.note


def _accept(step: Step) -> str | None:
    _meet(
        step.case,
        step.today,
        "letter.process",
        "complaint.accept",
        "complaint2.accept",
        "denunciation.intake",
    )
    rule_id = workflow.answer_rule(step.case.kind, step.case.round)
    if rule_id:
        _start(step, rule_id, step.today)
    if step.case.kind == "denunciation":
        _start(step, "denunciation.notify_acceptance", step.today, met_on=step.today)
    return step.data.note


def _record_ground(step: Step) -> str | None:
    """Refusing or filing: the legal ground is kept on the case."""
    step.case.outcome_ground = step.data.ground
    return step.data.note


def _forward(step: Step) -> str | None:
    step.case.forwarded_to = step.data.body
    rule_id = {"denunciation": "denunciation.transfer", "petition": "petition.forward"}.get(
        step.case.kind
    )
    if rule_id:
        _start(step, rule_id, step.case.received_on, met_on=step.today)
    return step.data.body if not step.data.note else f"{step.data.body}: {step.data.note}"


def _treat_as_information(step: Step) -> str | None:
    _meet(step.case, step.today, "letter.process", "denunciation.intake")
    return step.data.note


def _assign(step: Step) -> str | None:
    step.case.assignee_id = step.data.assignee_id
    if step.data.division_id:
        step.case.division_id = step.data.division_id
    return step.data.note


def _link_earlier(step: Step) -> str | None:
    from sqlalchemy import select
    from sqlalchemy.orm import object_session

    from portal.domain.tracking import parse_case_number

    parsed = parse_case_number(step.data.earlier or "")
    session = object_session(step.case)
    earlier = (
        parsed
        and session
        and session.scalar(select(Case).where(Case.year == parsed[0], Case.sequence == parsed[1]))
    )
    if not earlier or earlier.id == step.case.id:
        raise WorkflowError("unknown_case")
    step.case.duplicate_of_id = earlier.id
    return f"{earlier.number}" + (f": {step.data.note}" if step.data.note else "")


def _extend(step: Step) -> str | None:
    rule_id = workflow.resolve_rule(step.case.kind, step.case.round)
    targets = _open(step.case, rule_id) if rule_id else []
    if not targets:
        raise WorkflowError("nothing_to_extend")
    for deadline in targets:
        deadline.extensions += 1
        _recompute(deadline, step.rules, step.calendar)
    return step.data.note


def _set_complexity(step: Step) -> str | None:
    if step.data.complexity not in ("normal", "complex", "very_complex"):
        raise WorkflowError("bad_complexity")
    step.case.complexity = step.data.complexity
    if step.data.remote_area is not None:
        step.case.remote_area = step.data.remote_area
    for deadline in _open(step.case):
        deadline.complex = step.data.complexity in ("complex", "very_complex")
        deadline.very_complex = step.data.complexity == "very_complex"
        deadline.remote = step.case.remote_area
        _recompute(deadline, step.rules, step.calendar)
    return step.data.note


def _suspend(step: Step) -> str | None:
    for deadline in _open(step.case):
        deadline.paused_since = step.today
    return step.data.note


def _resume(step: Step) -> str | None:
    for deadline in _open(step.case):
        if deadline.paused_since is not None:
            deadline.paused_days += max((step.today - deadline.paused_since).days, 0)
            deadline.paused_since = None
            _recompute(deadline, step.rules, step.calendar)
    return step.data.note


def _draft_answer(step: Step) -> str | None:
    step.case.draft_answer = step.data.answer
    return step.data.note


def _approve_answer(step: Step) -> str | None:
    step.case.public_answer = step.case.draft_answer
    step.case.answered_on = step.today
    for attachment in step.case.attachments:
        if attachment.uploaded_by == "official":
            attachment.visible_to_citizen = True
    if step.case.kind == "complaint":
        # The decision must be made public (Decree 124/2020 Art. 29).
        _start(step, "complaint.publish_decision", step.today)
    rule_id = workflow.answer_rule(step.case.kind, step.case.round)
    _meet(step.case, step.today, *(r for r in (rule_id, "letter.process") if r))
    return step.data.note


def _record_publication(step: Step) -> str | None:
    if not _open(step.case, "complaint.publish_decision"):
        raise WorkflowError("nothing_to_publish")
    _meet(step.case, step.today, "complaint.publish_decision")
    return step.data.note


def _stop_duty(step: Step) -> str | None:
    """Stop a duty that outlives the decision (publication) with the official's reason, which
    goes into the event's note and the audit entry."""
    duties = [d for d in _open(step.case) if d.rule_id in workflow.DUTIES_AFTER_DECISION]
    if not duties:
        raise WorkflowError("nothing_to_stop")
    for deadline in duties:
        deadline.met_on = step.today
        deadline.stopped_reason = "stopped"
    return step.data.note


_EFFECTS: dict[str, Effect] = {
    "record_signed_letter": _record_signed_letter,
    "accept": _accept,
    "refuse": _record_ground,
    "guide": _note_only,
    "forward": _forward,
    "file": _record_ground,
    "treat_as_information": _treat_as_information,
    "assign": _assign,
    "link_earlier": _link_earlier,
    "note": _note_only,
    "extend": _extend,
    "set_complexity": _set_complexity,
    "suspend": _suspend,
    "resume": _resume,
    "draft_answer": _draft_answer,
    "approve_answer": _approve_answer,
    "record_publication": _record_publication,
    "stop_duty": _stop_duty,
    "close": _note_only,
    "withdraw_partly": _note_only,  # the rest of the letter goes on being handled
    "withdraw": _note_only,
    "reopen": _note_only,
}
