"""Citizens' registrations for a session: a seat or the waiting list, the registration code,
cancelling and promotion from the waiting list, attendance, walk-ins and the reminder sent the
day before.

Taking a seat is one transaction holding the write lock: on PostgreSQL the session's row is
locked (SELECT … FOR UPDATE) before seats are counted; on SQLite a POST request's transaction
already starts with BEGIN IMMEDIATE (see portal/web/database.py), which serialises writers.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain import dialogues as rules
from portal.domain import tracking
from portal.models import Dialogue, Registration
from portal.services.dialogues.base import DialogueError, commit_audited, queue_email

# Renders one e-mail (subject, body) for a citizen; the service queues it with its change.
PromotionEmail = Callable[[Registration], tuple[str, str]]
ConfirmationEmail = Callable[[Registration, "RegistrationReceipt"], tuple[str, str]]
ReminderEmail = Callable[[Dialogue, Registration], tuple[str, str]]


@dataclass(frozen=True)
class RegistrationData:
    """What a citizen gives to register; a phone or an e-mail is required."""

    name: str
    matter: str
    phone: str | None = None
    email: str | None = None
    matter_kind: str | None = None
    question: str | None = None


@dataclass(frozen=True)
class RegistrationReceipt:
    """What the citizen is shown once: the code is not stored in clear anywhere."""

    registration_id: int
    dialogue_id: int
    code: str
    status: str
    waiting_place: int | None


def confirmed_count(session: Session, dialogue_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Registration.id)).where(
                Registration.dialogue_id == dialogue_id, Registration.status == "confirmed"
            )
        )
        or 0
    )


def seats_left(session: Session, dialogue: Dialogue) -> int:
    return rules.seats_left(dialogue.capacity, confirmed_count(session, dialogue.id))


def _locked(session: Session, dialogue_id: int) -> Dialogue:
    """The session's row, locked against other registrations until the commit."""
    dialogue = session.scalar(
        select(Dialogue)
        .where(Dialogue.id == dialogue_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if dialogue is None:
        raise DialogueError("not_found")
    return dialogue


def _code_hash(code: str, pepper: bytes) -> str:
    return tracking.hash_access_code(tracking.normalise_access_code(code) or "", pepper)


def _new_registration(
    session: Session,
    dialogue: Dialogue,
    data: RegistrationData | WalkInData,
    *,
    pepper: bytes,
    rng: secrets.SystemRandom | None,
    now: datetime,
    **fields: Any,
) -> tuple[Registration, str]:
    """A registration row at the end of the session's list for the citizen in ``data``, with a
    fresh code (returned; only its keyed hash is stored) and consent taken now; flushed, not
    committed."""
    last = session.scalar(
        select(func.max(Registration.position)).where(Registration.dialogue_id == dialogue.id)
    )
    code = tracking.generate_access_code(rng or secrets.SystemRandom())
    registration = Registration(
        dialogue_id=dialogue.id,
        code_hash=_code_hash(code, pepper),
        position=(last or 0) + 1,  # arrival order; the waiting list follows it
        consent_at=now,
        created_at=now,
        name=data.name,
        phone=data.phone,
        matter=data.matter,
        matter_kind=data.matter_kind,
        **fields,
    )
    session.add(registration)
    session.flush()
    return registration, code


def register(
    session: Session,
    dialogue_id: int,
    data: RegistrationData,
    *,
    now: datetime,
    pepper: bytes,
    rng: secrets.SystemRandom | None = None,
    confirmation_email: ConfirmationEmail | None = None,
) -> RegistrationReceipt:
    """Register a citizen: a seat if one is free, else the waiting list; commit.

    Only the keyed hash of the registration code is stored; the code is in the receipt and,
    when the citizen gave an e-mail, in the confirmation queued with the registration.
    """
    if not data.phone and not data.email:
        raise DialogueError("no_contact")
    dialogue = _locked(session, dialogue_id)
    if not rules.registration_open(
        now,
        status=dialogue.status,
        starts_at=dialogue.starts_at,
        opens_at=dialogue.registration_opens_at,
        closes_at=dialogue.registration_closes_at,
    ):
        raise DialogueError("closed")
    status = rules.status_for_new(dialogue.capacity, confirmed_count(session, dialogue.id))
    registration, code = _new_registration(
        session,
        dialogue,
        data,
        pepper=pepper,
        rng=rng,
        now=now,
        email=data.email,
        question=data.question,
        status=status,
    )
    waiting_place = _waiting_place(session, registration) if status == "waiting" else None
    receipt = RegistrationReceipt(
        registration_id=registration.id,
        dialogue_id=dialogue.id,
        code=code,
        status=status,
        waiting_place=waiting_place,
    )
    if confirmation_email and registration.email:
        queue_email(session, registration.email, confirmation_email(registration, receipt), now=now)
    session.commit()
    return receipt


def _waiting_place(session: Session, registration: Registration) -> int:
    ahead = session.scalar(
        select(func.count(Registration.id)).where(
            Registration.dialogue_id == registration.dialogue_id,
            Registration.status == "waiting",
            Registration.position < registration.position,
        )
    )
    return (ahead or 0) + 1


def find_registration(session: Session, code: str, pepper: bytes) -> Registration | None:
    compact = tracking.normalise_access_code(code or "")
    if compact is None:
        return None
    return session.scalar(
        select(Registration).where(
            Registration.code_hash == tracking.hash_access_code(compact, pepper)
        )
    )


def _promote(session: Session, dialogue: Dialogue) -> list[Registration]:
    waiting = list(
        session.scalars(
            select(Registration).where(
                Registration.dialogue_id == dialogue.id, Registration.status == "waiting"
            )
        )
    )
    chosen = rules.to_promote(
        dialogue.capacity,
        confirmed_count(session, dialogue.id),
        [rules.Waiting(r.id, r.position) for r in waiting],
    )
    promoted = [r for r in waiting if r.id in set(chosen)]
    for registration in promoted:
        registration.status = "confirmed"
    session.flush()
    return promoted


def cancel(
    session: Session,
    code: str,
    *,
    pepper: bytes,
    now: datetime,
    promotion_email: PromotionEmail | None = None,
) -> Registration:
    """Cancel the registration with this code and give its seat to the waiting list; commit.

    Raises ``DialogueError("not_found")`` for a wrong code and for one already cancelled, so
    the answer does not tell which.
    """
    registration = find_registration(session, code, pepper)
    if registration is None or registration.status == "cancelled":
        raise DialogueError("not_found")
    dialogue = _locked(session, registration.dialogue_id)
    if dialogue.starts_at <= now:
        raise DialogueError("started")
    registration.status = "cancelled"
    session.flush()
    fill_freed_seats(session, dialogue, promotion_email, now=now)
    session.commit()
    return registration


def fill_freed_seats(
    session: Session,
    dialogue: Dialogue,
    promotion_email: PromotionEmail | None,
    *,
    now: datetime,
) -> None:
    """Give the seats now free to the waiting list, in arrival order, and queue the e-mails
    telling those promoted; flushed, not committed."""
    for registration in _promote(session, dialogue):
        if promotion_email and registration.email:
            queue_email(session, registration.email, promotion_email(registration), now=now)


def active_registrations(session: Session, dialogue_id: int) -> list[Registration]:
    """Registrations not cancelled: seated people and the waiting list."""
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.dialogue_id == dialogue_id, Registration.status != "cancelled")
            .order_by(Registration.position)
        )
    )


def registrations(session: Session, dialogue_id: int) -> list[Registration]:
    rows = list(
        session.scalars(select(Registration).where(Registration.dialogue_id == dialogue_id))
    )
    order = rules.order_registrations([(r.id, r.status, r.position) for r in rows])
    by_id = {r.id: r for r in rows}
    return [by_id[i] for i in order]


def check_in(
    session: Session,
    registration: Registration,
    attendance: str,
    *,
    now: datetime,
    actor_id: int | None,
) -> None:
    if attendance not in rules.ATTENDANCE:
        raise DialogueError("bad_choice")
    if registration.status == "cancelled":
        raise DialogueError("cancelled")
    registration.attendance = attendance
    commit_audited(
        session,
        "dialogue.check_in",
        registration,
        actor_id=actor_id,
        now=now,
        attendance=attendance,
    )


@dataclass(frozen=True)
class WalkInData:
    """A citizen who came on the day without registering, as the official records them."""

    name: str
    matter: str
    matter_kind: str
    phone: str | None = None


def add_walk_in(
    session: Session,
    dialogue: Dialogue,
    data: WalkInData,
    *,
    today: date,
    now: datetime,
    pepper: bytes,
    actor_id: int | None,
    rng: secrets.SystemRandom | None = None,
) -> Registration:
    """Record a citizen who came on the day without registering: attended, consent taken by
    the official (now); commit. Walk-ins have no code to cancel with: a random one is hashed
    only to keep every row's code unique."""
    if dialogue.status == "cancelled":
        raise DialogueError("cancelled")
    if today < rules.local_day(dialogue.starts_at):
        raise DialogueError("not_yet")
    if data.matter_kind not in rules.MATTER_KINDS:
        raise DialogueError("bad_choice")
    registration, _code = _new_registration(
        session,
        dialogue,
        data,
        pepper=pepper,
        rng=rng,
        now=now,
        status="confirmed",
        attendance="attended",
        walk_in=True,
    )
    commit_audited(session, "dialogue.walk_in", registration, actor_id=actor_id, now=now)
    return registration


def queue_day_before_reminders(
    session: Session, *, today: date, now: datetime, render: ReminderEmail
) -> int:
    """Remind each seated citizen with an e-mail of a session starting by the end of
    tomorrow, once (``reminder_sent_at``); commit; return how many were queued."""
    rows = session.execute(
        select(Registration, Dialogue)
        .join(Dialogue, Registration.dialogue_id == Dialogue.id)
        .where(
            Dialogue.starts_at > now,
            Dialogue.starts_at < rules.reminder_horizon(today),
            Dialogue.status.in_(rules.REMINDED_STATUSES),
            Registration.status == "confirmed",
            Registration.email.is_not(None),
            Registration.reminder_sent_at.is_(None),
        )
        .order_by(Dialogue.starts_at, Registration.position)
    ).all()
    for registration, dialogue in rows:
        queue_email(session, registration.email or "", render(dialogue, registration), now=now)
        registration.reminder_sent_at = now
    session.commit()
    return len(rows)
