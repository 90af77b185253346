from __future__ import annotations

import pytest

from portal.domain import workflow
from portal.domain.search import fold, terms
from portal.domain.workflow import ACTIONS, ActionRefused, CaseFacts, allowed_actions, check


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Dân vận khéo", "dan van kheo"),
        ("hoà", "hoa"),
        ("hòa", "hoa"),
        ("ĐƯỜNG  30/4", "duong 30/4"),
        (None, ""),
    ],
)
def test_fold(text, folded) -> None:
    assert fold(text) == folded


def test_terms_are_folded_and_bounded() -> None:
    assert terms("  Dân   vận ") == ["dan", "van"]
    assert len(terms("a " * 20)) == 8


def _facts(**changes) -> CaseFacts:  # type: ignore[no-untyped-def]
    return CaseFacts(**{"kind": "complaint", "status": "received", **changes})


@pytest.mark.parametrize("kind", workflow.KINDS)
@pytest.mark.parametrize("status", sorted(workflow.STATUSES))
@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_action_is_allowed_exactly_where_the_table_says(kind, status, name) -> None:
    action = ACTIONS[name]
    facts = CaseFacts(
        kind=kind, status=status, has_draft_answer=True, assigned=True, signed_letter=True
    )
    if name == "record_signed_letter":  # refused once recorded: checked in test_special_…
        facts = CaseFacts(kind=kind, status=status)
    roles = ("admin", "clerk", "handler", "leader")
    expected = kind in action.kinds and status in action.from_statuses
    if expected:
        assert check(name, facts, roles) is action
    else:
        with pytest.raises(ActionRefused) as refused:
            check(name, facts, roles)
        assert refused.value.code in ("wrong_kind", "wrong_status")


def test_permissions_are_checked() -> None:
    with pytest.raises(ActionRefused, match="not_permitted"):
        check("accept", _facts(), ("clerk",))
    assert check("accept", _facts(signed_letter=True), ("leader",)).to_status == "accepted"
    with pytest.raises(ActionRefused, match="not_permitted"):
        check("draft_answer", _facts(status="in_progress", assigned=True), ("editor",))


def test_special_conditions() -> None:
    with pytest.raises(ActionRefused, match="already_signed"):
        check("record_signed_letter", _facts(signed_letter=True), ("clerk",))
    with pytest.raises(ActionRefused, match="no_draft_answer"):
        check("approve_answer", _facts(status="in_progress"), ("leader",))
    with pytest.raises(ActionRefused, match="not_assigned"):
        check("draft_answer", _facts(status="accepted"), ("handler",))
    with pytest.raises(ActionRefused, match="wrong_kind"):
        check("record_signed_letter", _facts(kind="petition"), ("clerk",))
    with pytest.raises(ActionRefused, match="no_signed_letter"):
        check("accept", _facts(), ("leader",))
    with pytest.raises(ActionRefused, match="no_signed_letter"):
        check("accept", _facts(kind="denunciation"), ("leader",))
    assert check("accept", _facts(kind="petition"), ("leader",)).name == "accept"
    with pytest.raises(ActionRefused, match="unknown_action"):
        check("teleport", _facts(), ("admin",))


def test_allowed_actions_for_a_clerk_on_a_new_petition() -> None:
    names = {a.name for a in allowed_actions(_facts(kind="petition"), ("clerk",))}
    assert names == {"guide", "forward", "file", "withdraw", "link_earlier", "withdraw_partly"}


def test_clocks() -> None:
    assert workflow.resolve_rule("complaint", 1) == "complaint.resolve"
    assert workflow.resolve_rule("complaint", 2) == "complaint2.resolve"
    assert workflow.resolve_rule("denunciation", 1) == "denunciation.resolve"
    assert workflow.resolve_rule("petition", 1) is None
    assert workflow.answer_rule("petition", 1) == "petition.answer"
    assert workflow.answer_rule("reflection", 1) == "petition.answer"
    assert workflow.answer_rule("complaint", 2) == "complaint2.resolve"
    assert workflow.acceptance_rule("complaint", 2) == "complaint2.accept"
    assert workflow.acceptance_rule("denunciation", 1) == "denunciation.intake"


def test_every_action_has_an_effect() -> None:
    from portal.services.workflow import _EFFECTS

    assert set(_EFFECTS) == set(ACTIONS)
