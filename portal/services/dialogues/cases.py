"""Turning what a citizen raised at a session into a case: the draft the official confirms,
the case received in person through the submissions service, and its line in the
citizen-reception register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.domain import dialogues as rules
from portal.domain.calendar import WorkingCalendar
from portal.domain.deadlines import Rule
from portal.models import Case, Registration
from portal.services import reception, submissions
from portal.services.audit import record
from portal.services.dialogues.base import DialogueError


@dataclass(frozen=True)
class CaseDraft:
    """What the official confirms before a registration becomes a case."""

    kind: str
    subject: str
    content: str
    reception_kind: str
    address: str | None = None
    citizen_id_number: str | None = None
    signed_letter: bool = False
    note: str | None = None


@dataclass(frozen=True)
class CaseFromRegistration:
    case_id: int
    case_number: str
    access_code: str | None


def idempotency_key(registration: Registration) -> str:
    """One registration gives at most one case: the submissions service refuses a second
    case with the same key, even from two requests at once."""
    return f"dialogue-registration-{registration.id}"


def draft_for(registration: Registration) -> CaseDraft:
    """The form's starting point: the citizen's matter and question, the session's kind."""
    dialogue = registration.dialogue
    content = registration.matter
    if registration.question:
        content = f"{content}\n\n{registration.question}"
    return CaseDraft(
        kind=rules.case_kind_for(registration.matter_kind),
        subject=registration.matter.splitlines()[0][:200] if registration.matter else "",
        content=content,
        reception_kind=rules.reception_kind(dialogue.kind, dialogue.host_is_head),
    )


def raise_case(
    session: Session,
    registration: Registration,
    draft: CaseDraft,
    *,
    now: datetime,
    settings: submissions.Settings,
    rules_table: dict[str, Rule],
    calendar: WorkingCalendar,
    officer_id: int,
) -> CaseFromRegistration:
    """Turn what a citizen raised at a session into a case received in person on the
    session's day, with its line in the citizen-reception register; commit.

    Goes through the submissions service, so a denunciation's identity is sealed exactly as
    for any other channel. Refuses a registration that already has its case
    (``already_case``), a cancelled one, one who did not attend, and a session still to come.
    """
    if registration.case_id is not None:
        raise DialogueError("already_case")
    if registration.status == "cancelled":
        raise DialogueError("cancelled")
    if registration.attendance != "attended":
        raise DialogueError("not_attended")
    if draft.kind not in rules.CASE_KINDS:
        raise DialogueError("bad_choice")
    dialogue = registration.dialogue
    visited_on = rules.local_day(dialogue.starts_at)
    if visited_on > rules.local_day(now):
        raise DialogueError("not_yet")
    submission = submissions.Submission(
        kind=draft.kind,
        subject=draft.subject,
        content=draft.content,
        idempotency_key=idempotency_key(registration),
        consent_version="in_person",
        name=registration.name,
        address=draft.address,
        phone=registration.phone,
        email=registration.email,
        citizen_id_number=draft.citizen_id_number,
        channel="in_person",
        received_on=visited_on,
        signed_letter=draft.signed_letter,
    )
    try:
        receipt = submissions.submit(
            session,
            submission,
            now=now,
            settings=settings,
            rules=rules_table,
            calendar=calendar,
            actor_id=officer_id,
        )
    except (submissions.DuplicateSubmission, IntegrityError):
        # Another request made this registration's case (on PostgreSQL, at the same moment:
        # the unique key refused this one): refused once it linked it; if it stopped
        # before, the link and the register line are made here.
        session.rollback()
        case = submissions.find_duplicate(session, submission.idempotency_key)
        if case is None:
            raise
        if not _link(session, registration.id, case.id, draft, officer_id, now, visited_on):
            raise DialogueError("already_case") from None
        return CaseFromRegistration(case.id, case.number, None)
    _link(session, registration.id, receipt.case_id, draft, officer_id, now, visited_on)
    return CaseFromRegistration(receipt.case_id, receipt.case_number, receipt.access_code)


def _link(
    session: Session,
    registration_id: int,
    case_id: int,
    draft: CaseDraft,
    officer_id: int,
    now: datetime,
    visited_on: date,
) -> bool:
    """Link the case and record its line in the register, in one transaction holding the
    registration's row; False, changing nothing, when another request linked it first."""
    registration = session.scalar(
        select(Registration)
        .where(Registration.id == registration_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if registration is None or registration.case_id is not None:
        session.rollback()
        return False
    _attach(session, registration, case_id)
    record(
        session,
        actor_id=officer_id,
        action="dialogue.case_raised",
        now=now,
        target_type="registration",
        target_id=registration.id,
        case_id=case_id,
    )
    reception.record_visit(  # commits the link and the line together
        session,
        case_id=case_id,
        visited_on=visited_on,
        reception_kind=draft.reception_kind,
        officer_id=officer_id,
        previously_resolved_by=None,
        note=draft.note,
        now=now,
    )
    return True


def _attach(session: Session, registration: Registration, case_id: int) -> None:
    """Link the registration to its case. For a confidential case (a denunciation) the
    registration keeps no clear copy of the identity or the matter the case holds sealed:
    it shows the case's pseudonym instead."""
    registration.case_id = case_id
    case = session.get(Case, case_id)
    if case is not None and case.confidential:
        registration.name = case.pseudonym or case.number
        registration.phone = registration.email = registration.question = None
        registration.matter = case.number
