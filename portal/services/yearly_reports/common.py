"""What every part of the yearly report shares: its error, the checks of the text and of a
reason, and the audit record of a round or of a division's report."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy.orm import Session

from portal.domain import dialogues as dialogue_rules
from portal.domain import yearly_report as rules
from portal.models import DivisionReport, ReportingRound
from portal.services import ServiceError
from portal.services.audit import record

Figures = dict[str, float | int | None]


class ReportError(ServiceError):
    """`code` says what is wrong; `problems` maps section ids to "missing" or "too_long"."""

    def __init__(self, code: str, problems: Mapping[str, str] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.problems = dict(problems or {})


def local_day(moment: datetime | None) -> date | None:
    return dialogue_rules.local_day(moment) if moment is not None else None


def require_open(round_: ReportingRound) -> None:
    """Nothing of a compiled round changes until the Office reopens it."""
    if round_.status != "open":
        raise ReportError("compiled")


def checked_sections(sections: Mapping[str, object], *, submitting: bool) -> dict[str, str]:
    """The cleaned text; ReportError("invalid") names the sections that are wrong."""
    cleaned = rules.clean_sections(sections)
    found = rules.problems(cleaned, submitting=submitting)
    if found:
        raise ReportError("invalid", found)
    return cleaned


def checked_reason(reason: str) -> str:
    """The reason for returning a report or reopening a round, stripped; it must be given."""
    reason = reason.strip()
    if not reason or len(reason) > rules.MAX_REASON_LENGTH:
        raise ReportError("reason")
    return reason


def audit(
    session: Session,
    target: ReportingRound | DivisionReport,
    action: str,
    *,
    actor_id: int | None,
    now: datetime,
    **detail: object,
) -> None:
    """Record `action` on a round or on a division's report (naming its division first)."""
    if isinstance(target, DivisionReport):
        target_type = "division_report"
        detail = {"division_id": target.division_id, **detail}
    else:
        target_type = "reporting_round"
    record(
        session,
        actor_id=actor_id,
        action=action,
        now=now,
        target_type=target_type,
        target_id=target.id,
        **detail,
    )
