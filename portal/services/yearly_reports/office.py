"""The Office's consolidated report: the text to start from, saving it, compiling the round
(which fixes the department's figures and closes it) and reopening it to correct."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import yearly_report as rules
from portal.models import Division, DivisionReport, ReportingRound
from portal.services.yearly_reports.common import (
    Figures,
    ReportError,
    audit,
    checked_reason,
    checked_sections,
    require_open,
)
from portal.services.yearly_reports.figures import compute_figures


def draft_office_sections(session: Session, round_: ReportingRound) -> dict[str, str]:
    """The Office's text to start from: its saved text, or the submitted divisions' text
    per section, each paragraph headed by the division's name."""
    if any(round_.sections.get(s) for s in rules.SECTION_IDS):
        return rules.clean_sections(round_.sections)
    rows = session.execute(
        select(DivisionReport, Division.name)
        .join(Division, DivisionReport.division_id == Division.id)
        .where(DivisionReport.round_id == round_.id, DivisionReport.status == "submitted")
        .order_by(Division.name)
    ).all()
    drafted: dict[str, str] = {}
    for section_id in rules.SECTION_IDS:
        parts = [
            f"{name}: {report.sections.get(section_id, '').strip()}"
            for report, name in rows
            if report.sections.get(section_id, "").strip()
        ]
        drafted[section_id] = "\n\n".join(parts)[: rules.MAX_SECTION_LENGTH]
    return drafted


def _store_office_text(
    round_: ReportingRound,
    sections: Mapping[str, object],
    document_number: str | None,
    *,
    submitting: bool,
) -> None:
    """Check and keep the consolidated text of an open round; ReportError names what is
    wrong."""
    require_open(round_)
    round_.sections = checked_sections(sections, submitting=submitting)
    round_.document_number = (document_number or "").strip() or None


def save_office_sections(
    session: Session,
    round_: ReportingRound,
    sections: Mapping[str, object],
    *,
    document_number: str | None,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Keep the Office's consolidated text; commit."""
    _store_office_text(round_, sections, document_number, submitting=False)
    round_.updated_at = now
    audit(session, round_, "report_round.save", actor_id=actor_id, now=now)
    session.commit()


def compile_round(
    session: Session,
    round_: ReportingRound,
    sections: Mapping[str, object],
    *,
    document_number: str | None,
    actor_id: int | None,
    now: datetime,
    today: date,
) -> None:
    """Fix the consolidated text and the department's figures; the round closes. Commit.

    Divisions that have not submitted do not stop the Office: it must report by its own
    deadline; the document's appendix shows who reported and when."""
    _store_office_text(round_, sections, document_number, submitting=True)
    round_.figures = compute_figures(session, round_, division_id=None, today=today)
    round_.status = "compiled"
    round_.compiled_by_id = actor_id
    round_.compiled_at = now
    round_.updated_at = now
    missing = [r.division_id for r in round_.reports if r.status != "submitted"]
    audit(
        session,
        round_,
        "report_round.compile",
        actor_id=actor_id,
        now=now,
        not_submitted=missing,
    )
    session.commit()


def reopen_round(
    session: Session, round_: ReportingRound, reason: str, *, actor_id: int | None, now: datetime
) -> None:
    """The Office reopens a compiled round to correct its report, with a reason. Its text is
    kept to edit; the department's figures are taken again when it is compiled again, and
    the documents cannot be downloaded until then. Commit."""
    if round_.status != "compiled":
        raise ReportError("not_compiled")
    reason = checked_reason(reason)
    round_.status = "open"
    round_.compiled_by_id = None
    round_.compiled_at = None
    round_.updated_at = now
    audit(session, round_, "report_round.reopen", actor_id=actor_id, now=now, reason=reason)
    session.commit()


def office_figures(session: Session, round_: ReportingRound, *, today: date) -> Figures:
    """The compiled snapshot, or the live department-wide figures while the round is open."""
    if round_.status == "compiled" and round_.figures:
        return dict(round_.figures)
    return compute_figures(session, round_, division_id=None, today=today)
