"""Case kinds, statuses and the actions that move a case: one table, checked for every write.

Pure Python: the service (services/workflow.py) applies the effects and writes the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from portal.domain.permissions import Permission, permissions_for

KINDS: Final = ("complaint", "denunciation", "petition", "reflection")
OPEN_STATUSES: Final = frozenset({"received", "accepted", "in_progress", "suspended"})
FINAL_STATUSES: Final = frozenset(
    {"resolved", "closed", "guided", "forwarded", "not_accepted", "filed", "withdrawn"}
)
STATUSES: Final = OPEN_STATUSES | FINAL_STATUSES

# Duties that go on after the case reaches a final status: only their own event meets them
# (record_publication), or an official stops them with a typed reason (stop_duty).
DUTIES_AFTER_DECISION: Final = frozenset({"complaint.publish_decision"})

# Kinds whose legal clocks start only with the signed letter or the recorded visit (Law on
# Complaints Art. 8, Law on Denunciations Art. 22: the forms): before it, no acceptance.
SIGNED_LETTER_KINDS: Final = frozenset({"complaint", "denunciation"})

# Grounds to refuse a complaint (Law on Complaints 02/2011/QH13, Art. 11) and to refuse or file
# a denunciation (Law on Denunciations Art. 27; Circular 05/2021). Codes are stored; the app
# shows their labels.
REFUSAL_GROUNDS: Final[dict[str, tuple[str, ...]]] = {
    "complaint": (
        "not_an_administrative_decision",  # Art. 11(1)
        "no_direct_interest",  # Art. 11(2)
        "no_capacity_or_representative",  # Art. 11(3)-(4)
        "out_of_time",  # Art. 11(5)
        "already_resolved_second_round",  # Art. 11(6)-(7)
        "withdrawn_earlier",  # Art. 11(8)
        "court_accepted",  # Art. 11(9)
    ),
    "denunciation": (
        "not_a_violation",
        "no_identity_or_cannot_verify",
        "already_resolved_no_new_facts",
        "outside_competence",
    ),
}
FILING_GROUNDS: Final = (
    "duplicate",
    "anonymous_without_evidence",
    "not_processable",  # Circular 05/2021: insulting, illegible, against State policy
    "no_content",
)


class ActionRefused(ValueError):
    """The action is not allowed now; `code` says why (for a message beside the buttons)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Action:
    name: str
    slug: str  # Vietnamese URL part
    permission: Permission
    from_statuses: frozenset[str]
    to_status: str | None  # None: the status does not change
    kinds: frozenset[str] = frozenset(KINDS)
    visible_to_citizen: bool = False
    needs: tuple[str, ...] = ()  # inputs the action requires: "note", "ground", ...


def _a(
    name: str,
    slug: str,
    permission: Permission,
    from_statuses: Iterable[str],
    to_status: str | None,
    *,
    kinds: Iterable[str] = KINDS,
    visible: bool = False,
    needs: tuple[str, ...] = (),
) -> Action:
    return Action(
        name,
        slug,
        permission,
        frozenset(from_statuses),
        to_status,
        frozenset(kinds),
        visible,
        needs,
    )


_CLASSIFIABLE = ("received",)
_WORKING = ("accepted", "in_progress")

ACTIONS: Final[dict[str, Action]] = {
    action.name: action
    for action in (
        _a(
            "record_signed_letter",
            "nhan-don-ky",
            Permission.REGISTER_CASES,
            ("received",),
            None,
            kinds=("complaint", "denunciation"),
            visible=True,
            needs=("day",),
        ),
        _a("accept", "thu-ly", Permission.DECIDE_CASES, _CLASSIFIABLE, "accepted", visible=True),
        _a(
            "refuse",
            "khong-thu-ly",
            Permission.DECIDE_CASES,
            _CLASSIFIABLE,
            "not_accepted",
            kinds=("complaint", "denunciation"),
            visible=True,
            needs=("ground", "note"),
        ),
        _a(
            "guide",
            "huong-dan",
            Permission.CLASSIFY_CASES,
            _CLASSIFIABLE,
            "guided",
            visible=True,
            needs=("note",),
        ),
        _a(
            "forward",
            "chuyen-don",
            Permission.CLASSIFY_CASES,
            _CLASSIFIABLE,
            "forwarded",
            visible=True,
            needs=("body",),
        ),
        _a(
            "file",
            "luu-don",
            Permission.CLASSIFY_CASES,
            _CLASSIFIABLE,
            "filed",
            visible=True,
            needs=("ground",),
        ),
        _a(
            "treat_as_information",
            "xu-ly-thong-tin",
            Permission.DECIDE_CASES,
            _CLASSIFIABLE,
            "in_progress",
            kinds=("denunciation",),
            visible=True,
        ),
        _a(
            "assign",
            "giao-xu-ly",
            Permission.CLASSIFY_CASES,
            _WORKING,
            "in_progress",
            needs=("assignee",),
        ),
        _a(
            "link_earlier",
            "lien-ket",
            Permission.CLASSIFY_CASES,
            OPEN_STATUSES,
            None,
            needs=("earlier",),
        ),
        _a("note", "ghi-chu", Permission.HANDLE_CASES, OPEN_STATUSES, None, needs=("note",)),
        _a(
            "extend",
            "gia-han",
            Permission.DECIDE_CASES,
            _WORKING,
            None,
            visible=True,
            needs=("note",),
        ),
        _a(
            "set_complexity",
            "muc-do",
            Permission.DECIDE_CASES,
            (*_WORKING, "received"),
            None,
            needs=("complexity",),
        ),
        _a(
            "suspend",
            "tam-dinh-chi",
            Permission.DECIDE_CASES,
            _WORKING,
            "suspended",
            visible=True,
            needs=("note",),
        ),
        _a(
            "resume",
            "tiep-tuc",
            Permission.DECIDE_CASES,
            ("suspended",),
            "in_progress",
            visible=True,
        ),
        _a("draft_answer", "du-thao", Permission.HANDLE_CASES, _WORKING, None, needs=("answer",)),
        _a("approve_answer", "duyet", Permission.DECIDE_CASES, _WORKING, "resolved", visible=True),
        _a(
            "record_publication",
            "cong-khai-quyet-dinh",
            Permission.CLASSIFY_CASES,
            ("resolved", "closed"),
            None,
            kinds=("complaint",),
            needs=("note",),
        ),
        _a(
            "stop_duty",
            "dung-nghia-vu",
            Permission.DECIDE_CASES,
            ("resolved", "closed"),
            None,
            kinds=("complaint",),
            needs=("note",),
        ),
        _a("close", "ket-thuc", Permission.CLASSIFY_CASES, ("resolved",), "closed", visible=True),
        _a(
            "withdraw_partly",
            "rut-mot-phan",
            Permission.CLASSIFY_CASES,
            OPEN_STATUSES,
            None,
            visible=True,
            needs=("note",),
        ),
        _a(
            "withdraw",
            "rut-don",
            Permission.CLASSIFY_CASES,
            OPEN_STATUSES,
            "withdrawn",
            visible=True,
            needs=("note",),
        ),
        _a(
            "reopen",
            "mo-lai",
            Permission.DECIDE_CASES,
            FINAL_STATUSES,
            "in_progress",
            visible=True,
            needs=("note",),
        ),
    )
}


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about a case."""

    kind: str
    status: str
    signed_letter: bool = False
    has_draft_answer: bool = False
    assigned: bool = False
    confidential: bool = False


def refusal(action: Action, facts: CaseFacts) -> str | None:
    """Why `action` cannot be done on this case now, or None when it can."""
    if facts.kind not in action.kinds:
        return "wrong_kind"
    if facts.status not in action.from_statuses:
        return "wrong_status"
    if action.name == "record_signed_letter" and facts.signed_letter:
        return "already_signed"
    if action.name == "accept" and facts.kind in SIGNED_LETTER_KINDS and not facts.signed_letter:
        return "no_signed_letter"
    if action.name == "approve_answer" and not facts.has_draft_answer:
        return "no_draft_answer"
    if action.name == "draft_answer" and not facts.assigned:
        return "not_assigned"
    return None


def check(action_name: str, facts: CaseFacts, roles: Iterable[str]) -> Action:
    """The action, if these roles may do it on this case now; ActionRefused otherwise."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise ActionRefused("unknown_action")
    if action.permission not in permissions_for(roles):
        raise ActionRefused("not_permitted")
    reason = refusal(action, facts)
    if reason:
        raise ActionRefused(reason)
    return action


def allowed_actions(facts: CaseFacts, roles: Iterable[str]) -> list[Action]:
    granted = permissions_for(roles)
    return [
        action
        for action in ACTIONS.values()
        if action.permission in granted and refusal(action, facts) is None
    ]


def resolve_rule(kind: str, complaint_round: int) -> str | None:
    """The deadline rule for resolving a case of this kind once accepted."""
    if kind == "complaint":
        return "complaint2.resolve" if complaint_round == 2 else "complaint.resolve"
    if kind == "denunciation":
        return "denunciation.resolve"
    return None


def answer_rule(kind: str, complaint_round: int) -> str | None:
    """The clock for the answer once accepted: the statutory one for complaints and
    denunciations, the department's own rule for petitions and reflections."""
    if kind in ("petition", "reflection"):
        return "petition.answer"
    return resolve_rule(kind, complaint_round)


def acceptance_rule(kind: str, complaint_round: int) -> str | None:
    """The formal clock that starts when the signed letter is received."""
    if kind == "complaint":
        return "complaint2.accept" if complaint_round == 2 else "complaint.accept"
    if kind == "denunciation":
        return "denunciation.intake"
    return None
