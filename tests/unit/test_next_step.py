"""The next step of a case: derived from the one workflow table."""

from __future__ import annotations

import itertools

import pytest

from portal.domain import next_step as steps
from portal.domain import workflow
from portal.domain.next_step import chain_allowed, next_step
from portal.domain.workflow import CaseFacts


def _facts(**values: object) -> CaseFacts:
    base: dict[str, object] = {"kind": "petition", "status": "received"}
    base.update(values)
    return CaseFacts(**base)  # type: ignore[arg-type]  # test helper: keyword facts


def every_facts() -> list[CaseFacts]:
    return [
        CaseFacts(kind, status, signed, draft, assigned)
        for kind, status, signed, draft, assigned in itertools.product(
            workflow.KINDS, sorted(workflow.STATUSES), *([(False, True)] * 3)
        )
    ]


def test_the_waiting_states_are_disjoint_and_cover_every_open_status() -> None:
    for facts in every_facts():
        matching = [state for state in steps.WAITING if state.matches(facts)]
        assert len(matching) <= 1, facts
        if facts.status in workflow.OPEN_STATUSES:
            assert matching, facts


def test_each_state_s_own_action_is_open_to_its_first_role() -> None:
    for facts in every_facts():
        step = next_step(facts)
        if step.key == "none":
            continue
        state = steps.waiting_state(facts)
        assert state is not None
        if facts.status == "received" or step.key in ("resume", "close", "approve", "assign"):
            assert state.actions[0] in step.actions[step.roles[0]], facts


@pytest.mark.parametrize(
    ("facts", "key", "lead", "roles", "actions"),
    [
        (_facts(), "accept", "leader", ("leader",), ("accept", "guide", "forward", "file")),
        (_facts(), "accept", "leader", ("clerk",), ("guide", "forward", "file")),
        (_facts(), "accept", "leader", ("handler",), ()),
        (
            _facts(kind="complaint"),
            "signed_letter",
            "clerk",
            ("clerk",),
            ("record_signed_letter", "guide", "forward", "file"),
        ),
        (
            _facts(kind="complaint", signed_letter=True),
            "accept",
            "leader",
            ("leader",),
            ("accept", "refuse", "guide", "forward", "file"),
        ),
        (_facts(status="accepted"), "assign", "leader", ("leader",), ("assign",)),
        (_facts(status="accepted"), "assign", "leader", ("clerk",), ("assign",)),
        (
            _facts(status="in_progress", assigned=True),
            "draft",
            "handler",
            ("handler",),
            ("draft_answer",),
        ),
        (_facts(status="in_progress", assigned=True), "draft", "handler", ("clerk",), ()),
        (
            _facts(status="in_progress", assigned=True, has_draft_answer=True),
            "approve",
            "leader",
            ("leader",),
            ("approve_answer",),
        ),
        (_facts(status="suspended"), "resume", "leader", ("leader",), ("resume",)),
        (_facts(status="resolved"), "close", "clerk", ("clerk",), ("close",)),
    ],
)
def test_next_step(
    facts: CaseFacts, key: str, lead: str, roles: tuple[str, ...], actions: tuple[str, ...]
) -> None:
    step = next_step(facts)
    assert step.key == key
    assert step.roles[0] == lead
    assert step.actions_for(roles) == actions
    for name in actions:  # the same answer as the workflow table's check
        workflow.check(name, facts, roles)


def test_a_final_case_waits_for_no_one() -> None:
    step = next_step(_facts(status="closed"))
    assert (step.key, step.roles, step.actions_for(("leader", "clerk"))) == ("none", (), ())


def test_the_leader_may_accept_and_assign_in_a_row_but_not_the_clerk() -> None:
    assert chain_allowed("accept", "assign", _facts(), ("leader",))
    assert not chain_allowed("accept", "assign", _facts(), ("clerk",))
    assert not chain_allowed("accept", "assign", _facts(status="accepted"), ("leader",))
    assert not chain_allowed("assign", "draft_answer", _facts(status="accepted"), ("leader",))
