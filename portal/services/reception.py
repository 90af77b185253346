"""The citizen-reception register: walk-ins recorded with their case, listed by month."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.register_wording import KIND_WORDS, STATUS_WORDS
from portal.domain.tracking import format_case_number
from portal.models import Case, ReceptionVisit
from portal.services.audit import record

ACCEPTED = frozenset({"accepted", "in_progress", "suspended", "resolved", "closed"})


def record_visit(
    session: Session,
    *,
    case_id: int,
    visited_on: date,
    reception_kind: str,
    officer_id: int,
    previously_resolved_by: str | None,
    note: str | None,
    now: datetime,
) -> ReceptionVisit:
    visit = ReceptionVisit(
        case_id=case_id,
        visited_on=visited_on,
        reception_kind=reception_kind,
        officer_id=officer_id,
        previously_resolved_by=previously_resolved_by,
        note=note,
        created_at=now,
    )
    session.add(visit)
    session.flush()
    record(
        session,
        actor_id=officer_id,
        action="reception.visit",
        now=now,
        target_type="case",
        target_id=case_id,
    )
    session.commit()
    return visit


class RegisterEntry(NamedTuple):
    """What the register shows of a visit and of its case: only these columns are read, as
    plain rows (building two ORM objects a visit took most of a 100,000-row export)."""

    case_id: int
    visited_on: date
    previously_resolved_by: str | None
    note: str | None
    year: int
    sequence: int
    confidential: bool
    identity_withheld: bool
    pseudonym: str | None
    submitter_name: str | None
    submitter_address: str | None
    submitter_commune: str | None
    submitter_province: str | None
    submitter_id_number: str | None
    subject: str
    content: str
    kind: str
    people_count: int
    status: str


_VISIT_FIELDS = ("case_id", "visited_on", "previously_resolved_by", "note")
_REGISTER_COLUMNS = tuple(
    getattr(ReceptionVisit if name in _VISIT_FIELDS else Case, name)
    for name in RegisterEntry._fields
)


@dataclass(frozen=True)
class RegisterRow:
    number: int
    entry: RegisterEntry

    def who(self) -> str:
        case = self.entry
        if case.confidential or case.identity_withheld:
            return case.pseudonym or "Ẩn danh"
        address = ", ".join(
            p
            for p in (case.submitter_address, case.submitter_commune, case.submitter_province)
            if p
        )
        return " - ".join(p for p in (case.submitter_name, address) if p)

    def cells(self) -> list[object]:
        """The 12 columns of Mẫu số 03, in order."""
        case = self.entry
        mark = "x"
        return [
            self.number,
            case.visited_on,
            self.who(),
            None if case.confidential else case.submitter_id_number,
            f"{case.subject}: {case.content}",
            f"{KIND_WORDS.get(case.kind, case.kind)} / {case.people_count}",
            case.previously_resolved_by,
            mark if case.status in ACCEPTED else None,
            mark if case.status == "guided" else None,
            mark if case.status == "forwarded" else None,
            f"{format_case_number(case.year, case.sequence)}: "
            f"{STATUS_WORDS.get(case.status, case.status)}",
            case.note,
        ]


def register_rows(session: Session, *, month: date) -> list[RegisterRow]:
    """The register of the month of `month`, in the order of the visits."""
    return list(iter_register_rows(session, month=month))


def iter_register_rows(
    session: Session, *, month: date, batch: int = 1000
) -> Iterator[RegisterRow]:
    """The same, read `batch` visits at a time (for the .xlsx export: its memory does not
    grow with the register). Consume it before the request's read ends."""
    start = month.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    rows = session.execute(
        select(*_REGISTER_COLUMNS)
        .join(Case, Case.id == ReceptionVisit.case_id)
        .where(ReceptionVisit.visited_on >= start, ReceptionVisit.visited_on < end)
        .order_by(ReceptionVisit.visited_on, ReceptionVisit.id)
        .execution_options(yield_per=batch)
    )
    for n, row in enumerate(rows, start=1):
        yield RegisterRow(n, RegisterEntry(*row))
