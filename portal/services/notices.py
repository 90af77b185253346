"""Which official notices a case can have now, and the facts that go into them."""

from __future__ import annotations

from datetime import date

from portal.domain import workflow
from portal.lib import documents
from portal.models import Case

# A notice, and the statuses (or condition) in which the case has it.
_AVAILABLE = {
    "acceptance": frozenset({"accepted", "in_progress", "suspended", "resolved", "closed"}),
    "non_acceptance": frozenset({"not_accepted"}),
    "forwarding_slip": frozenset({"forwarded"}),
    "guidance": frozenset({"guided"}),
    "result": frozenset({"resolved", "closed"}),
}


def available(case: Case) -> list[str]:
    kinds = [kind for kind, statuses in _AVAILABLE.items() if case.status in statuses]
    if case.kind in ("petition", "reflection") and "acceptance" in kinds:
        kinds.remove("acceptance")
    rule_id = workflow.resolve_rule(case.kind, case.round)
    if any(d.rule_id == rule_id and d.extensions for d in case.deadlines):
        kinds.append("extension")
    return kinds


def facts(case: Case) -> documents.CaseFacts:
    hidden = case.confidential or case.identity_withheld
    address = ", ".join(
        p for p in (case.submitter_address, case.submitter_commune, case.submitter_province) if p
    )
    return documents.CaseFacts(
        number=case.number,
        kind=case.kind,
        received_on=case.received_on,
        letter_date=case.signed_letter_on,
        submitter_name=None if hidden else case.submitter_name,
        submitter_address=None if hidden else (address or None),
        submitter_id_number=None if hidden else case.submitter_id_number,
        subject=case.subject,
        content=case.content,
        respondent=case.respondent,
        round=case.round,
    )


def options(case: Case, kind: str, *, ground_text: str | None, today: date) -> dict[str, object]:
    """The kind-specific inputs of a notice, taken from the case."""
    rule_id = workflow.resolve_rule(case.kind, case.round)
    resolve = next((d for d in case.deadlines if d.rule_id == rule_id), None)
    accepted = next((e.at.date() for e in case.events if e.action == "accept"), None)
    extension = next((e for e in reversed(case.events) if e.action == "extend"), None)
    by_kind: dict[str, dict[str, object]] = {
        "acceptance": {"accepted_on": accepted or today},
        "non_acceptance": {"ground": ground_text or ""},
        "forwarding_slip": {"forwarded_to": case.forwarded_to or ""},
        "guidance": {"forwarded_to": case.forwarded_to or _last_note(case, "guide") or ""},
        "extension": {
            "extension_until": resolve.due_on if resolve else today,
            "reason": (extension.note if extension else None) or "",
        },
        "result": {"result_text": case.public_answer or ""},
    }
    return by_kind[kind]


def _last_note(case: Case, action: str) -> str | None:
    return next((e.note for e in reversed(case.events) if e.action == action), None)
