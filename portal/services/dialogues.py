"""Reception and dialogue sessions: scheduling, registrations, check-in, conclusions.

Taking a seat is one transaction holding the write lock: on PostgreSQL the session's row is
locked (SELECT … FOR UPDATE) before seats are counted; on SQLite a POST request's transaction
already starts with BEGIN IMMEDIATE (see portal/database.py), which serialises writers.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from icalendar import Calendar, Event
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import notifications
from portal.domain import dialogues as rules
from portal.domain import tracking
from portal.domain.calendar import WorkingCalendar
from portal.models import Dialogue, FollowUp, Registration
from portal.services import ServiceError
from portal.services.audit import record


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


def save_dialogue(
    session: Session,
    data: DialogueData,
    *,
    now: datetime,
    actor_id: int | None,
    dialogue: Dialogue | None = None,
) -> Dialogue:
    """Create a session, or change one; commit."""
    _check(data)
    created = dialogue is None
    target = dialogue or Dialogue(created_at=now)
    for name, value in vars(data).items():
        setattr(target, name, value)
    if created:
        session.add(target)
    session.flush()
    if not created:
        _promote(session, target)
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
    facts = [
        rules.SessionFacts(
            id=d.id,
            starts_at=d.starts_at,
            status=d.status,
            mode=d.mode,
            host_is_head=d.host_is_head,
        )
        for d in session.scalars(select(Dialogue).order_by(Dialogue.starts_at))
    ]
    return rules.compliance(year, facts, now)


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


def register(
    session: Session,
    dialogue_id: int,
    data: RegistrationData,
    *,
    now: datetime,
    pepper: bytes,
    rng: secrets.SystemRandom | None = None,
) -> RegistrationReceipt:
    """Register a citizen: a seat if one is free, else the waiting list; commit.

    Only the keyed hash of the registration code is stored; the code is in the receipt.
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
    positions = session.scalars(
        select(Registration.position).where(Registration.dialogue_id == dialogue.id)
    )
    code = tracking.generate_access_code(rng or secrets.SystemRandom())
    registration = Registration(
        dialogue_id=dialogue.id,
        code_hash=_code_hash(code, pepper),
        name=data.name,
        phone=data.phone,
        email=data.email,
        matter=data.matter,
        matter_kind=data.matter_kind,
        question=data.question,
        consent_at=now,
        status=status,
        position=rules.next_position(positions),
        created_at=now,
    )
    session.add(registration)
    session.flush()
    waiting_place = _waiting_place(session, registration) if status == "waiting" else None
    session.commit()
    return RegistrationReceipt(
        registration_id=registration.id,
        dialogue_id=dialogue.id,
        code=code,
        status=status,
        waiting_place=waiting_place,
    )


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
    promotion_email: Callable[[Registration], tuple[str, str]] | None = None,
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
    for promoted in _promote(session, dialogue):
        if promotion_email and promoted.email:
            subject, body = promotion_email(promoted)
            notifications.queue(
                session, recipient=promoted.email, subject=subject, body=body, now=now
            )
    session.commit()
    return registration


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
