"""Reception and dialogue sessions: scheduling, registrations, check-in, conclusions.

Taking a seat is one transaction holding the write lock: on PostgreSQL the session's row is
locked (SELECT … FOR UPDATE) before seats are counted; on SQLite a POST request's transaction
already starts with BEGIN IMMEDIATE (see portal/web/database.py), which serialises writers.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from icalendar import Calendar, Event
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.domain import dialogues as rules
from portal.domain import tracking
from portal.domain.calendar import WorkingCalendar
from portal.domain.deadlines import Rule
from portal.models import Case, Dialogue, Division, FollowUp, Registration
from portal.services import ServiceError, notifications, reception, submissions
from portal.services.audit import record

# Renders one e-mail (subject, body) for a citizen; the service queues it with its change.
PromotionEmail = Callable[[Registration], tuple[str, str]]
ConfirmationEmail = Callable[[Registration, "RegistrationReceipt"], tuple[str, str]]
ChangeEmail = Callable[[Dialogue, Registration, rules.ChangeNotice], tuple[str, str]]
ReminderEmail = Callable[[Dialogue, Registration], tuple[str, str]]


class DialogueError(ServiceError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class DialogueData:
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    mode: str
    host_name: str
    host_is_head: bool
    capacity: int
    status: str = "scheduled"
    topic: str | None = None
    place: str | None = None
    online_link: str | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    public_note: str | None = None


@dataclass(frozen=True)
class RegistrationData:
    name: str
    matter: str
    phone: str | None = None
    email: str | None = None
    matter_kind: str | None = None
    question: str | None = None


@dataclass(frozen=True)
class RegistrationReceipt:
    registration_id: int
    dialogue_id: int
    code: str
    status: str
    waiting_place: int | None


def _check(data: DialogueData) -> None:
    if data.kind not in rules.KINDS or data.mode not in rules.MODES:
        raise DialogueError("bad_choice")
    if data.status not in rules.STATUSES:
        raise DialogueError("bad_choice")
    if data.ends_at <= data.starts_at:
        raise DialogueError("ends_before_start")
    if data.capacity < 0:
        raise DialogueError("bad_capacity")
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if opens and closes and closes <= opens:
        raise DialogueError("window_reversed")


def _arrangements(source: Dialogue | DialogueData) -> rules.Arrangements:
    return rules.Arrangements(
        starts_at=source.starts_at,
        ends_at=source.ends_at,
        mode=source.mode,
        place=source.place,
        online_link=source.online_link,
        status=source.status,
    )


def save_dialogue(
    session: Session,
    data: DialogueData,
    *,
    now: datetime,
    actor_id: int | None,
    dialogue: Dialogue | None = None,
    change_email: ChangeEmail | None = None,
    promotion_email: PromotionEmail | None = None,
) -> Dialogue:
    """Create a session, or change one; commit.

    When an official moves, changes or cancels a session not yet over, everyone still
    registered who gave an e-mail is told (``change_email``); people promoted from the
    waiting list by a larger capacity are told too (``promotion_email``).
    """
    _check(data)
    created = dialogue is None
    # Correcting the record of a session that is over tells nobody anything.
    notice = (
        rules.change_notice(_arrangements(dialogue), _arrangements(data))
        if dialogue is not None and dialogue.ends_at > now
        else None
    )
    target = dialogue or Dialogue(created_at=now)
    for name, value in vars(data).items():
        setattr(target, name, value)
    if created:
        session.add(target)
    session.flush()
    if not created:
        _queue_promotions(session, _promote(session, target), promotion_email, now=now)
    if notice and change_email:
        for registration in _active(session, target.id):
            if registration.email:
                subject, body = change_email(target, registration, notice)
                notifications.queue(
                    session, recipient=registration.email, subject=subject, body=body, now=now
                )
    record(
        session,
        actor_id=actor_id,
        action="dialogue.create" if created else "dialogue.update",
        now=now,
        target_type="dialogue",
        target_id=target.id,
        status=target.status,
    )
    session.commit()
    return target


@dataclass(frozen=True)
class PeriodicPlan:
    start: date
    recurrence: rules.Recurrence
    starts: time
    ends: time
    title: str
    host_name: str
    place: str | None
    capacity: int


def generate_periodic(
    session: Session,
    plan: PeriodicPlan,
    *,
    calendar: WorkingCalendar,
    now: datetime,
    actor_id: int | None,
) -> list[Dialogue]:
    """Create the periodic reception sessions of the coming months; days that already have
    one are skipped. Officials edit each created session afterwards."""
    existing = session.scalars(select(Dialogue.starts_at).where(Dialogue.kind == "periodic"))
    taken = frozenset(rules.local_day(moment) for moment in existing)
    recurrence = rules.Recurrence(
        day_of_month=plan.recurrence.day_of_month,
        policy=plan.recurrence.policy,
        weekday=plan.recurrence.weekday,
        months=plan.recurrence.months,
        skip=taken,
    )
    created = []
    for day in rules.periodic_dates(plan.start, recurrence, calendar):
        starts_at, ends_at = rules.session_times(day, plan.starts, plan.ends)
        dialogue = Dialogue(
            kind="periodic",
            title=plan.title,
            starts_at=starts_at,
            ends_at=ends_at,
            mode="in_person",
            place=plan.place,
            host_name=plan.host_name,
            host_is_head=True,
            capacity=plan.capacity,
            status="scheduled",
            created_at=now,
        )
        session.add(dialogue)
        created.append(dialogue)
    session.flush()
    record(
        session,
        actor_id=actor_id,
        action="dialogue.generate_periodic",
        now=now,
        target_type="dialogue",
        count=len(created),
    )
    session.commit()
    return created


def compliance(session: Session, year: int, *, now: datetime) -> list[rules.MonthCompliance]:
    # The year in Vietnam starts and ends seven hours before UTC's; a day either side is enough.
    first = datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    last = datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1)
    facts = [
        rules.SessionFacts(
            id=d.id,
            starts_at=d.starts_at,
            status=d.status,
            mode=d.mode,
            host_is_head=d.host_is_head,
        )
        for d in session.scalars(
            select(Dialogue)
            .where(Dialogue.starts_at >= first, Dialogue.starts_at < last)
            .order_by(Dialogue.starts_at)
        )
    ]
    return rules.compliance(year, facts, now)


def months_without_head(
    session: Session, *, today: date, now: datetime, ahead: int = 3
) -> list[tuple[int, int]]:
    """(year, month) of this month and the next ones with no head-hosted session planned."""
    months = compliance(session, today.year, now=now)
    if today.month + ahead > 13:
        months += compliance(session, today.year + 1, now=now)
    return rules.months_without_head(months, today, ahead)


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


def upcoming(session: Session, *, now: datetime) -> list[Dialogue]:
    return list(
        session.scalars(
            select(Dialogue).where(Dialogue.ends_at >= now).order_by(Dialogue.starts_at)
        )
    )


def past(session: Session, *, now: datetime, limit: int = 50) -> list[Dialogue]:
    return list(
        session.scalars(
            select(Dialogue)
            .where(Dialogue.ends_at < now)
            .order_by(Dialogue.starts_at.desc())
            .limit(limit)
        )
    )


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
    *,
    pepper: bytes,
    rng: secrets.SystemRandom | None,
    now: datetime,
    **fields: Any,
) -> tuple[Registration, str]:
    """A registration row at the end of the session's list, with a fresh code (returned; only
    its keyed hash is stored) and consent taken now; flushed, not committed."""
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
        pepper=pepper,
        rng=rng,
        now=now,
        name=data.name,
        phone=data.phone,
        email=data.email,
        matter=data.matter,
        matter_kind=data.matter_kind,
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
        subject, body = confirmation_email(registration, receipt)
        notifications.queue(
            session, recipient=registration.email, subject=subject, body=body, now=now
        )
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
    _queue_promotions(session, _promote(session, dialogue), promotion_email, now=now)
    session.commit()
    return registration


def _queue_promotions(
    session: Session,
    promoted: list[Registration],
    promotion_email: PromotionEmail | None,
    *,
    now: datetime,
) -> None:
    for registration in promoted:
        if promotion_email and registration.email:
            subject, body = promotion_email(registration)
            notifications.queue(
                session, recipient=registration.email, subject=subject, body=body, now=now
            )


def _active(session: Session, dialogue_id: int) -> list[Registration]:
    """Registrations not cancelled: seated people and the waiting list."""
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.dialogue_id == dialogue_id, Registration.status != "cancelled")
            .order_by(Registration.position)
        )
    )


def division_names(session: Session) -> dict[int, str]:
    return {d.id: d.name for d in session.scalars(select(Division))}


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
    record(
        session,
        actor_id=actor_id,
        action="dialogue.check_in",
        now=now,
        target_type="registration",
        target_id=registration.id,
        attendance=attendance,
    )
    session.commit()


@dataclass(frozen=True)
class WalkInData:
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
        pepper=pepper,
        rng=rng,
        now=now,
        name=data.name,
        phone=data.phone,
        matter=data.matter,
        matter_kind=data.matter_kind,
        status="confirmed",
        attendance="attended",
        walk_in=True,
    )
    record(
        session,
        actor_id=actor_id,
        action="dialogue.walk_in",
        now=now,
        target_type="registration",
        target_id=registration.id,
    )
    session.commit()
    return registration


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
        subject, body = render(dialogue, registration)
        notifications.queue(
            session, recipient=registration.email or "", subject=subject, body=body, now=now
        )
        registration.reminder_sent_at = now
    session.commit()
    return len(rows)


@dataclass(frozen=True)
class FollowUpItem:
    follow_up: FollowUp
    dialogue: Dialogue
    state: rules.FollowUpState


def open_follow_ups(
    session: Session,
    *,
    today: date,
    horizon: date,
    division_ids: Iterable[int | None] | None = None,
) -> list[FollowUpItem]:
    """Open follow-ups due by ``horizon`` or overdue, soonest first; only those of the given
    divisions (``None`` in the list: those without a division) unless ``division_ids`` is
    None (every division)."""
    query = (
        select(FollowUp, Dialogue)
        .join(Dialogue, FollowUp.dialogue_id == Dialogue.id)
        .where(FollowUp.status == "open", FollowUp.due_on <= horizon)
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    if division_ids is not None:
        wanted = list(division_ids)
        ids = [i for i in wanted if i is not None]
        condition = FollowUp.division_id.in_(ids)
        if None in wanted:
            condition = condition | FollowUp.division_id.is_(None)
        query = query.where(condition)
    return [
        FollowUpItem(
            follow_up,
            dialogue,
            rules.follow_up_state(follow_up.due_on, today=today, horizon=horizon),
        )
        for follow_up, dialogue in session.execute(query).all()
    ]


def save_conclusions(
    session: Session,
    dialogue: Dialogue,
    *,
    minutes: str | None,
    conclusions: str | None,
    publish: bool,
    now: datetime,
    actor_id: int | None,
) -> None:
    if publish and not conclusions:
        raise DialogueError("nothing_to_publish")
    dialogue.minutes = minutes
    dialogue.conclusions = conclusions
    if publish:
        dialogue.conclusions_published = True
    record(
        session,
        actor_id=actor_id,
        action="dialogue.publish_conclusions" if publish else "dialogue.conclusions",
        now=now,
        target_type="dialogue",
        target_id=dialogue.id,
    )
    session.commit()


def unpublish_conclusions(
    session: Session, dialogue: Dialogue, *, now: datetime, actor_id: int | None
) -> None:
    dialogue.conclusions_published = False
    record(
        session,
        actor_id=actor_id,
        action="dialogue.unpublish_conclusions",
        now=now,
        target_type="dialogue",
        target_id=dialogue.id,
    )
    session.commit()


def add_follow_up(
    session: Session,
    dialogue: Dialogue,
    *,
    conclusion: str,
    division_id: int | None,
    due_on: date,
    now: datetime,
    actor_id: int | None,
) -> FollowUp:
    follow_up = FollowUp(
        dialogue_id=dialogue.id, conclusion=conclusion, division_id=division_id, due_on=due_on
    )
    session.add(follow_up)
    session.flush()
    record(
        session,
        actor_id=actor_id,
        action="dialogue.follow_up",
        now=now,
        target_type="follow_up",
        target_id=follow_up.id,
    )
    session.commit()
    return follow_up


def set_follow_up_status(
    session: Session,
    follow_up: FollowUp,
    status: str,
    *,
    today: date,
    now: datetime,
    actor_id: int | None,
) -> None:
    if status not in rules.FOLLOW_UP_STATUSES:
        raise DialogueError("bad_choice")
    follow_up.status = status
    follow_up.done_on = today if status == "done" else None
    record(
        session,
        actor_id=actor_id,
        action="dialogue.follow_up_status",
        now=now,
        target_type="follow_up",
        target_id=follow_up.id,
        status=status,
    )
    session.commit()


def ics_bytes(
    dialogues: Iterable[Dialogue],
    *,
    url_for_dialogue: Callable[[int], str],
    domain: str,
    name: str,
) -> bytes:
    """An iCalendar file of the sessions, times in Asia/Ho_Chi_Minh (TZID) with its VTIMEZONE.

    The online link is never included: it is for registered people only.
    """
    calendar = Calendar()
    calendar.add("prodid", f"-//{domain}//lich-tiep-cong-dan//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for dialogue in dialogues:
        event = Event()
        event.add("uid", f"dialogue-{dialogue.id}@{domain}")
        event.add("dtstamp", dialogue.created_at)
        event.add("dtstart", dialogue.starts_at.astimezone(rules.VIETNAM))
        event.add("dtend", dialogue.ends_at.astimezone(rules.VIETNAM))
        event.add("summary", dialogue.title)
        if dialogue.place:
            event.add("location", dialogue.place)
        description = "\n\n".join(
            part for part in (dialogue.host_name, dialogue.topic, dialogue.public_note) if part
        )
        if description:
            event.add("description", description)
        event.add("url", url_for_dialogue(dialogue.id))
        event.add("status", "CANCELLED" if dialogue.status == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
