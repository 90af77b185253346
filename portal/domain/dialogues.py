"""Rules of the Director's reception and dialogue sessions.

Seats and the waiting list, the yearly compliance check (the head of the body receives
citizens in person at least once a month, Law 42/2013 on Citizen Reception Art. 18(2)) and the
dates of the periodic reception sessions. Nothing here reads the clock: "now" and "today" are
arguments, and times are aware datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

from portal.domain.calendar import (
    VIETNAM_TZ,
    ReceptionPolicy,
    WorkingCalendar,
    monthly_reception_dates,
)

VIETNAM: Final = VIETNAM_TZ

KINDS: Final[tuple[str, ...]] = ("periodic", "unscheduled", "dialogue")
MODES: Final[tuple[str, ...]] = ("in_person", "online", "both")
STATUSES: Final[tuple[str, ...]] = ("scheduled", "held", "cancelled", "moved")
MATTER_KINDS: Final[tuple[str, ...]] = (
    "complaint",
    "denunciation",
    "petition",
    "reflection",
    "question",
)
ATTENDANCE: Final[tuple[str, ...]] = ("attended", "no_show")
FOLLOW_UP_STATUSES: Final[tuple[str, ...]] = ("open", "done")

RegistrationStatus = Literal["confirmed", "waiting", "cancelled"]
IN_PERSON_MODES: Final = frozenset({"in_person", "both"})


def local_to_utc(day: date, at: time) -> datetime:
    """The UTC moment of a wall-clock time in Vietnam."""
    return datetime.combine(day, at, tzinfo=VIETNAM).astimezone(ZoneInfo("UTC"))


def local_day(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date()


# Seats and the waiting list ---------------------------------------------------------------


def seats_left(capacity: int, confirmed: int) -> int:
    return max(capacity - confirmed, 0)


def status_for_new(capacity: int, confirmed: int) -> RegistrationStatus:
    """A new registration takes a seat while one is free, otherwise joins the waiting list."""
    return "confirmed" if confirmed < capacity else "waiting"


@dataclass(frozen=True)
class Waiting:
    id: int
    position: int


def to_promote(capacity: int, confirmed: int, waiting: Iterable[Waiting]) -> list[int]:
    """Ids of the waiting registrations that now get a seat, first come first served."""
    free = seats_left(capacity, confirmed)
    queue = sorted(waiting, key=lambda entry: (entry.position, entry.id))
    return [entry.id for entry in queue[:free]]


def registration_open(
    now: datetime,
    *,
    status: str,
    starts_at: datetime,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> bool:
    """Citizens may register for a scheduled session inside its window and before it starts."""
    if status != "scheduled" or now >= starts_at:
        return False
    if opens_at is not None and now < opens_at:
        return False
    return closes_at is None or now < closes_at


# Compliance: the head receives citizens in person every month --------------------------------


@dataclass(frozen=True)
class SessionFacts:
    id: int
    starts_at: datetime
    status: str
    mode: str
    host_is_head: bool


@dataclass(frozen=True)
class MonthCompliance:
    year: int
    month: int
    qualifying: tuple[SessionFacts, ...]
    others: tuple[SessionFacts, ...]

    @property
    def compliant(self) -> bool:
        return bool(self.qualifying)


def counts_for_head(session: SessionFacts, now: datetime) -> bool:
    """A session of the head in person that was held, or is scheduled and still to come."""
    if not session.host_is_head or session.mode not in IN_PERSON_MODES:
        return False
    return session.status == "held" or (session.status == "scheduled" and session.starts_at > now)


def compliance(year: int, sessions: Iterable[SessionFacts], now: datetime) -> list[MonthCompliance]:
    """For each month of ``year`` (Vietnam time), the sessions that meet the rule and the rest."""
    by_month: dict[int, list[SessionFacts]] = {month: [] for month in range(1, 13)}
    for session in sessions:
        day = local_day(session.starts_at)
        if day.year == year:
            by_month[day.month].append(session)
    result = []
    for month, items in by_month.items():
        items.sort(key=lambda s: s.starts_at)
        result.append(
            MonthCompliance(
                year=year,
                month=month,
                qualifying=tuple(s for s in items if counts_for_head(s, now)),
                others=tuple(s for s in items if not counts_for_head(s, now)),
            )
        )
    return result


# Periodic reception dates --------------------------------------------------------------------


@dataclass(frozen=True)
class Recurrence:
    day_of_month: int
    policy: ReceptionPolicy
    weekday: int | None = None
    months: int = 12
    skip: frozenset[date] = field(default_factory=frozenset)


def periodic_dates(start: date, rule: Recurrence, calendar: WorkingCalendar) -> list[date]:
    """The next ``rule.months`` monthly reception dates on or after ``start``.

    Dates in ``rule.skip`` (days that already have a periodic session) are left out, so
    generating twice adds nothing twice.
    """
    candidates = monthly_reception_dates(
        start.year,
        rule.day_of_month,
        rule.policy,
        calendar,
        weekday=rule.weekday,
        months=rule.months + 1,
        start_month=start.month,
    )
    upcoming = [day for day in candidates if day >= start][: rule.months]
    return [day for day in upcoming if day not in rule.skip]


def session_times(day: date, starts: time, ends: time) -> tuple[datetime, datetime]:
    """UTC start and end of a session held on ``day`` from ``starts`` to ``ends`` (local)."""
    start = local_to_utc(day, starts)
    end = local_to_utc(day, ends)
    if end <= start:
        end = start + timedelta(hours=1)
    return start, end


def order_registrations(positions: Sequence[tuple[int, str, int]]) -> list[int]:
    """Ids of (id, status, position) rows in list order: seated first, then the waiting list."""
    rank = {"confirmed": 0, "waiting": 1, "cancelled": 2}
    return [row[0] for row in sorted(positions, key=lambda r: (rank.get(r[1], 3), r[2], r[0]))]


# After the session ------------------------------------------------------------------------

CASE_KINDS: Final[tuple[str, ...]] = ("complaint", "denunciation", "petition", "reflection")
REMINDED_STATUSES: Final = frozenset({"scheduled", "moved"})


def reception_kind(kind: str, host_is_head: bool) -> str:
    """The kind of reception in the citizen-reception register (Mẫu số 03) for a session.

    A session the head hosts is the head's reception: unscheduled (đột xuất) for an
    unscheduled session, periodic (định kỳ) otherwise; anyone else's is regular reception.
    """
    if not host_is_head:
        return "regular"
    return "unscheduled" if kind == "unscheduled" else "periodic"


def case_kind_for(matter_kind: str | None) -> str:
    """The case kind an official starts from; a question becomes a petition by default."""
    return matter_kind if matter_kind in CASE_KINDS else "petition"


@dataclass(frozen=True)
class Arrangements:
    """What registered people rely on: when, where and how a session takes place."""

    starts_at: datetime
    ends_at: datetime
    mode: str
    place: str | None
    online_link: str | None
    status: str


ChangeNotice = Literal["cancelled", "changed"]


def change_notice(before: Arrangements, after: Arrangements) -> ChangeNotice | None:
    """Whether registered people must be told of a change an official made, and which."""
    if after.status == "cancelled":
        return "cancelled" if before.status != "cancelled" else None
    moved = after.status == "moved" and before.status != "moved"
    if moved or _where_and_when(before) != _where_and_when(after):
        return "changed"
    return None


def _where_and_when(arrangements: Arrangements) -> tuple[object, ...]:
    return (
        arrangements.starts_at,
        arrangements.ends_at,
        arrangements.mode,
        arrangements.place,
        arrangements.online_link,
    )


def reminder_horizon(today: date) -> datetime:
    """The day-before reminder goes to sessions starting before the end of tomorrow (Vietnam
    time) and still to come, so a run missed the day before still reminds on the day."""
    return local_to_utc(today + timedelta(days=2), time(0))


FollowUpState = Literal["overdue", "due_soon", "later"]


def follow_up_state(due_on: date, *, today: date, horizon: date) -> FollowUpState:
    """Overdue after its due date; due soon up to ``horizon`` (N working days ahead)."""
    if due_on < today:
        return "overdue"
    return "due_soon" if due_on <= horizon else "later"


def remind_follow_up(last_reminded_on: date | None, today: date) -> bool:
    """At most one reminder a day for each follow-up."""
    return last_reminded_on is None or last_reminded_on < today


def months_without_head(
    months: Iterable[MonthCompliance], today: date, ahead: int = 3
) -> list[tuple[int, int]]:
    """The current and next months (``ahead`` in all) where no head-hosted session is planned."""
    wanted = []
    year, month = today.year, today.month
    for _ in range(ahead):
        wanted.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    found = {(m.year, m.month): m for m in months}
    return [
        (year, month)
        for year, month in wanted
        if (year, month) in found and not found[(year, month)].compliant
    ]
