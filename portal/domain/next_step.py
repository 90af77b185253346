"""The next step of a case: who acts next, and with which actions, derived from the workflow
table (`portal.domain.workflow`): its ACTIONS give each state's statuses and kinds, and `check`
decides which of a step's actions a role may take now.

Each open state of a case is waiting for someone. WAITING names, for each state, the roles
that act next (the first is the one the case page names: "Chờ lãnh đạo thụ lý") and the
actions of the step (its own action first). The services turn the same table into SQL
(`services/my_work.py`), so the dashboard's "my work" and the case page agree.

(Its own module: `workflow.py` is at its 400-line limit.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Final

from portal.domain.workflow import ACTIONS, KINDS, ActionRefused, CaseFacts, check


@dataclass(frozen=True)
class WaitingState:
    """A state of a case, described by the facts it has, and the step it waits for."""

    key: str  # the label key of the step ("accept", "draft", ...)
    roles: tuple[str, ...]  # who acts next; the first one is named on the case page
    actions: tuple[str, ...]  # the step's actions, its own action first
    statuses: frozenset[str]
    kinds: frozenset[str] = frozenset(KINDS)
    signed_letter: bool | None = None  # None: either
    assigned: bool | None = None
    has_draft_answer: bool | None = None
    personal: bool = False  # waits for the case's assignee, not for anyone with the role

    def matches(self, facts: CaseFacts) -> bool:
        return (
            facts.status in self.statuses
            and facts.kind in self.kinds
            and self.signed_letter in (None, facts.signed_letter)
            and self.assigned in (None, facts.assigned)
            and self.has_draft_answer in (None, facts.has_draft_answer)
        )


_SIGNED_KINDS: Final = ACTIONS["record_signed_letter"].kinds
_CLASSIFYING: Final = ("guide", "forward", "file")
_DECIDING: Final = ("accept", "refuse", "treat_as_information", *_CLASSIFYING)

# Disjoint states: a case's facts match one of them at most (tests/unit hold it to that).
WAITING: Final[tuple[WaitingState, ...]] = (
    WaitingState(
        "signed_letter",
        ("clerk",),
        ("record_signed_letter", *_CLASSIFYING),
        ACTIONS["record_signed_letter"].from_statuses,
        kinds=_SIGNED_KINDS,
        signed_letter=False,
    ),
    WaitingState(
        "accept",
        ("leader", "clerk"),
        _DECIDING,
        ACTIONS["accept"].from_statuses,
        kinds=_SIGNED_KINDS,
        signed_letter=True,
    ),
    WaitingState(
        "accept",
        ("leader", "clerk"),
        _DECIDING,
        ACTIONS["accept"].from_statuses,
        kinds=frozenset(KINDS) - _SIGNED_KINDS,
    ),
    WaitingState(
        "assign",
        ("leader", "clerk"),
        ("assign",),
        ACTIONS["assign"].from_statuses,
        assigned=False,
        has_draft_answer=False,
    ),
    WaitingState(
        "draft",
        ("handler",),
        ("draft_answer",),
        ACTIONS["draft_answer"].from_statuses,
        assigned=True,
        has_draft_answer=False,
        personal=True,
    ),
    WaitingState(
        "approve",
        ("leader",),
        ("approve_answer",),
        ACTIONS["approve_answer"].from_statuses,
        has_draft_answer=True,
    ),
    WaitingState("resume", ("leader",), ("resume",), ACTIONS["resume"].from_statuses),
    WaitingState(
        "close", ("clerk",), ("close", "record_publication"), ACTIONS["close"].from_statuses
    ),
)


@dataclass(frozen=True)
class NextStep:
    """What a case waits for: the label key, the roles that act next (the first is named),
    and for each of those roles the step's actions it may take now."""

    key: str
    roles: tuple[str, ...]
    actions: dict[str, tuple[str, ...]]
    personal: bool = False

    def actions_for(self, roles: Iterable[str]) -> tuple[str, ...]:
        """The step's actions that someone with these roles may take now, in step order."""
        held = set(roles)
        allowed = {name for role in self.roles if role in held for name in self.actions[role]}
        order = [name for role in self.roles for name in self.actions[role]]
        return tuple(dict.fromkeys(name for name in order if name in allowed))


def _may(action_name: str, facts: CaseFacts, roles: Iterable[str]) -> bool:
    try:
        check(action_name, facts, roles)
    except ActionRefused:
        return False
    return True


def waiting_state(facts: CaseFacts) -> WaitingState | None:
    """The state the case is in, or None when it waits for no one (a final status)."""
    return next((state for state in WAITING if state.matches(facts)), None)


def next_step(facts: CaseFacts) -> NextStep:
    state = waiting_state(facts)
    if state is None:
        return NextStep("none", (), {})
    actions = {
        role: tuple(name for name in state.actions if _may(name, facts, (role,)))
        for role in state.roles
    }
    return NextStep(state.key, state.roles, actions, state.personal)


# Steps the law lets one person take in a row (the leader accepts and assigns at once).
CHAINS: Final = (("accept", "assign"),)


def chain_allowed(first: str, then: str, facts: CaseFacts, roles: Iterable[str]) -> bool:
    """Whether these roles may take `first` now and `then` right after it on this case."""
    held = tuple(roles)
    if (first, then) not in CHAINS or not _may(first, facts, held):
        return False
    to_status = ACTIONS[first].to_status or facts.status
    return _may(then, replace(facts, status=to_status), held)
