"""Reception and dialogue sessions themselves: creating and changing one (telling registered
citizens of a move or a cancellation), generating the periodic receptions, listing upcoming
and past sessions, and the yearly check that the head hosts one every month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import dialogues as rules
from portal.domain.calendar import WorkingCalendar
from portal.models import Dialogue, Registration
from portal.services.audit import record
from portal.services.dialogues.base import DialogueError, commit_audited, queue_email
from portal.services.dialogues.registration import (
    PromotionEmail,
    active_registrations,
    fill_freed_seats,
)

# Renders the e-mail (subject, body) telling a registered citizen that the session changed.
ChangeEmail = Callable[[Dialogue, Registration, rules.ChangeNotice], tuple[str, str]]


@dataclass(frozen=True)
class DialogueData:
    """A session as an official enters it; the registration window is optional."""

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
        fill_freed_seats(session, target, promotion_email, now=now)
    if notice and change_email:
        for registration in active_registrations(session, target.id):
            if registration.email:
                message = change_email(target, registration, notice)
                queue_email(session, registration.email, message, now=now)
    action = "dialogue.create" if created else "dialogue.update"
    commit_audited(session, action, target, actor_id=actor_id, now=now, status=target.status)
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
