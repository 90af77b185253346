"""Which deadlines each workflow action starts, meets, stops or leaves running: one table,
checked for EVERY action against EVERY rule of the deadline table.

Each row names the case the action is done on (its kind, and the actions that bring it to
the right state, through the real service) and what happens to each rule's clock:

- "start": the clock did not exist and runs now; "start_met": it is started already met
  (a notification done with the action itself);
- "meet": it was running and is met by this action (the event that meets it);
- "stop": it was running and is stopped, with a reason (the case ended otherwise);
- "run": it was running and still runs;
- a rule the row does not name must not run on the case, before or after (a clock met or
  stopped by an earlier action, and left so, is not this action's doing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from portal.domain.deadlines import RULES
from portal.domain.workflow import ACTIONS
from portal.extensions import db
from portal.models import AuditLog, Case
from portal.services import deadlines as deadline_service
from portal.services import workflow as workflow_service
from portal.web.rules import current_rules
from portal.web.security import today_local
from tests.factories import make_case, make_user

ALL_ROLES = ("admin", "clerk", "handler", "leader")
DAY = date(2026, 3, 2)


@dataclass(frozen=True)
class Row:
    action: str
    kind: str
    clocks: dict[str, str]
    setup: tuple[tuple[str, dict[str, object]], ...] = ()
    signed: bool = False
    inputs: dict[str, object] = field(default_factory=dict)
    refused: str | None = None  # the action is refused with this code: nothing changes


ACCEPTED = (("accept", {}),)
ASSIGNED = (*ACCEPTED, ("assign", {"assignee": True}))
DRAFTED = (*ASSIGNED, ("draft_answer", {"answer": "Trả lời công dân."}))
RESOLVED = (*DRAFTED, ("approve_answer", {}))

TABLE: tuple[Row, ...] = (
    Row(
        "record_signed_letter",
        "complaint",
        {"letter.process": "run", "complaint.accept": "start"},
        inputs={"day": DAY},
    ),
    Row(
        "record_signed_letter",
        "denunciation",
        {"letter.process": "run", "denunciation.intake": "start"},
        inputs={"day": DAY},
    ),
    # An unsigned online complaint cannot be accepted: the legal clock has not started.
    Row("accept", "complaint", {"letter.process": "run"}, refused="no_signed_letter"),
    Row("accept", "denunciation", {"letter.process": "run"}, refused="no_signed_letter"),
    Row(
        "accept",
        "complaint",
        {"letter.process": "meet", "complaint.accept": "meet", "complaint.resolve": "start"},
        signed=True,
    ),
    Row(
        "accept",
        "denunciation",
        {
            "letter.process": "meet",
            "denunciation.intake": "meet",
            "denunciation.resolve": "start",
            "denunciation.notify_acceptance": "start_met",
        },
        signed=True,
    ),
    # Petitions and reflections: the department's own answer time starts.
    Row("accept", "petition", {"letter.process": "meet", "petition.answer": "start"}),
    Row("accept", "reflection", {"letter.process": "meet", "petition.answer": "start"}),
    Row(
        "refuse",
        "complaint",
        {"letter.process": "stop", "complaint.accept": "stop"},
        signed=True,
        inputs={"ground": "out_of_time", "note": "Quá thời hiệu"},
    ),
    Row("guide", "petition", {"letter.process": "stop"}, inputs={"note": "Gửi UBND xã"}),
    Row(
        "forward",
        "petition",
        {"letter.process": "stop", "petition.forward": "start_met"},
        inputs={"body": "Sở Xây dựng"},
    ),
    Row(
        "forward",
        "denunciation",
        {
            "letter.process": "stop",
            "denunciation.intake": "stop",
            "denunciation.transfer": "start_met",
        },
        signed=True,
        inputs={"body": "Công an tỉnh"},
    ),
    Row("file", "reflection", {"letter.process": "stop"}, inputs={"ground": "duplicate"}),
    Row("treat_as_information", "denunciation", {"letter.process": "meet"}),
    Row(
        "assign", "petition", {"petition.answer": "run"}, setup=ACCEPTED, inputs={"assignee": True}
    ),
    Row("link_earlier", "petition", {"letter.process": "run"}, inputs={"earlier": True}),
    Row("note", "reflection", {"letter.process": "run"}, inputs={"note": "Đã gọi điện"}),
    Row(
        "extend",
        "denunciation",
        {"denunciation.resolve": "run"},
        signed=True,
        setup=(*ACCEPTED, ("set_complexity", {"complexity": "complex"})),
        inputs={"note": "Cần xác minh thêm"},
    ),
    Row(
        "extend",
        "petition",
        {"petition.answer": "run"},
        setup=ACCEPTED,
        inputs={"note": "Xin thêm thời gian"},
        refused="nothing_to_extend",
    ),
    Row(
        "set_complexity",
        "complaint",
        {"complaint.resolve": "run"},
        signed=True,
        setup=ACCEPTED,
        inputs={"complexity": "complex"},
    ),
    Row(
        "suspend",
        "reflection",
        {"petition.answer": "run"},
        setup=ACCEPTED,
        inputs={"note": "Chờ kết quả giám định"},
    ),
    Row(
        "resume",
        "complaint",
        {"complaint.resolve": "run"},
        signed=True,
        setup=(*ACCEPTED, ("suspend", {"note": "Chờ tòa án"})),
    ),
    Row(
        "draft_answer",
        "petition",
        {"petition.answer": "run"},
        setup=ASSIGNED,
        inputs={"answer": "Trả lời."},
    ),
    Row(
        "approve_answer",
        "complaint",
        {"complaint.resolve": "meet", "complaint.publish_decision": "start"},
        signed=True,
        setup=DRAFTED,
    ),
    Row("approve_answer", "petition", {"petition.answer": "meet"}, setup=DRAFTED),
    Row("approve_answer", "reflection", {"petition.answer": "meet"}, setup=DRAFTED),
    Row(
        "record_publication",
        "complaint",
        {"complaint.publish_decision": "meet"},
        signed=True,
        setup=RESOLVED,
        inputs={"note": "Niêm yết tại trụ sở"},
    ),
    Row(
        "stop_duty",
        "complaint",
        {"complaint.publish_decision": "stop"},
        signed=True,
        setup=RESOLVED,
        inputs={"note": "Quyết định bị hủy trước khi công khai"},
    ),
    # Closing does not meet the publication duty: only its publication (or a stop) does.
    Row("close", "complaint", {"complaint.publish_decision": "run"}, signed=True, setup=RESOLVED),
    Row("close", "petition", {}, setup=RESOLVED),
    Row(
        "withdraw_partly",
        "petition",
        {"petition.answer": "run"},
        setup=ACCEPTED,
        inputs={"note": "Rút ý thứ hai"},
    ),
    Row(
        "withdraw",
        "reflection",
        {"petition.answer": "stop"},
        setup=ACCEPTED,
        inputs={"note": "Công dân rút"},
    ),
    Row(
        "reopen",
        "petition",
        {},
        setup=(("withdraw", {"note": "Rút"}),),
        inputs={"note": "Rút nhầm"},
    ),
)


def test_the_table_covers_every_action() -> None:
    assert {row.action for row in TABLE} == set(ACTIONS)
    named = {rule for row in TABLE for rule in row.clocks}
    assert named <= set(RULES)


def _input(values: dict[str, object], actor_id: int, earlier: str) -> workflow_service.ActionInput:
    data = dict(values)
    if data.pop("assignee", None):
        data["assignee_id"] = actor_id
    if data.pop("earlier", None):
        data["earlier"] = earlier
    return workflow_service.ActionInput(**data)  # type: ignore[arg-type]


def _perform(case: Case, name: str, values: dict[str, object], actor, earlier: str):  # type: ignore[no-untyped-def]
    return workflow_service.perform(
        db.session,
        case=case,
        action_name=name,
        actor=actor,
        data=_input(values, actor.id, earlier),
        today=today_local(),
        now=datetime.now(UTC),
        rules=current_rules(),
        calendar=deadline_service.load_calendar(db.session),
    )


def _states(case: Case) -> dict[str, str]:
    db.session.refresh(case)
    states = {}
    for deadline in case.deadlines:
        if deadline.met_on is None:
            states[deadline.rule_id] = "open"
        else:
            states[deadline.rule_id] = "stopped" if deadline.stopped_reason else "met"
    return states


_OUTCOME = {
    # (before, after) -> what the action did to the clock
    (None, "open"): "start",
    (None, "met"): "start_met",
    ("open", "met"): "meet",
    ("open", "stopped"): "stop",
    ("open", "open"): "run",
}


@pytest.mark.parametrize(
    "row", TABLE, ids=lambda r: f"{r.action}-{r.kind}" + ("-refused" if r.refused else "")
)
def test_what_each_action_does_to_every_deadline(app_ctx, custodian, row: Row) -> None:  # type: ignore[no-untyped-def]
    actor = make_user(roles=ALL_ROLES)
    earlier = make_case(kind=row.kind).number
    case = make_case(kind=row.kind, signed_letter=row.signed)
    for name, values in row.setup:
        _perform(case, name, values, actor, earlier)
    before = _states(case)
    if row.refused:
        with pytest.raises(workflow_service.WorkflowError) as refused:
            _perform(case, row.action, row.inputs, actor, earlier)
        assert refused.value.code == row.refused
        db.session.rollback()
    else:
        _perform(case, row.action, row.inputs, actor, earlier)
    after = _states(case)
    for rule_id in RULES:
        outcome = _OUTCOME.get((before.get(rule_id), after.get(rule_id)))
        if before.get(rule_id) == after.get(rule_id) != "open":
            outcome = None  # absent, or finished earlier and left so
        assert outcome == row.clocks.get(rule_id), (rule_id, before, after)
    # next_due_on follows the clocks still running: the queue lists the case while one runs
    running = [d.due_on for d in case.deadlines if d.met_on is None]
    assert case.next_due_on == (min(running) if running else None)


def test_stopping_a_duty_needs_a_reason_that_goes_to_the_event_and_the_audit(
    app_ctx,
) -> None:  # type: ignore[no-untyped-def]
    actor = make_user(roles=ALL_ROLES)
    case = make_case(kind="complaint", signed_letter=True)
    for name, values in RESOLVED:
        _perform(case, name, values, actor, "")
    with pytest.raises(workflow_service.WorkflowError, match="missing_note"):
        _perform(case, "stop_duty", {}, actor, "")
    db.session.rollback()
    reason = "Quyết định đã bị thu hồi"
    event = _perform(case, "stop_duty", {"note": reason}, actor, "")
    assert event.note == reason
    audit = db.session.scalars(db.select(AuditLog).where(AuditLog.action == "case.stop_duty")).one()
    assert audit.detail["reason"] == reason
    duty = next(d for d in case.deadlines if d.rule_id == "complaint.publish_decision")
    assert duty.met_on is not None and duty.stopped_reason == "stopped"
    with pytest.raises(workflow_service.WorkflowError, match="nothing_to_stop"):
        _perform(case, "stop_duty", {"note": reason}, actor, "")
