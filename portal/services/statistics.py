"""Statistics of the department's work for a period, counted by the database.

Every figure is an aggregate (COUNT/SUM ... GROUP BY): no case is loaded into Python, so a
year of a million cases answers in the time a few index scans take. A period is a span of
local (Asia/Ho_Chi_Minh) days, both ends included; `division_id` narrows the case figures
and the follow-ups to one division (sessions and articles belong to the whole department).

What the figures mean:

- **received**: cases whose `received_on` (the legal receipt date) falls in the period.
- **carried over**: cases received before the period that were still open when it began:
  now open; or answered (`answered_on`) on or after its first day; or ended in another final
  status (guided, forwarded, not accepted, filed, withdrawn) by an event on or after its
  first day. A case answered before the period and reopened later counts as open.
- **outcomes** of the cases received in the period, by their status today: accepted (thụ lý:
  accepted, in progress, suspended, resolved, closed), refused (not accepted), guided,
  forwarded, filed, withdrawn, and not yet classified (still "received").
- **outside our competence**: guided, forwarded, or refused on the ground "outside
  competence"; **within**: every other classified case; the rest are not yet classified.
- **resolved**: cases whose answer was approved in the period (`answered_on` in it); days to
  resolve are calendar days from `received_on` to `answered_on`.
- **on time, per deadline rule**: deadlines of cases met in the period (`met_on` in it) by
  doing the work, i.e. not stopped (`stopped_reason` empty); on time when `met_on <= due_on`.
  Due dates were computed on the working-day calendar (Tết, day swaps) when the clock
  started, so the comparison needs no calendar here. On-time rate = on time / met.
- **open now / overdue now**: cases received up to the period's last day that are in an open
  status today; overdue when their nearest open deadline (`next_due_on`) is before today.
- **satisfaction**: ratings of the cases received in the period that were answered (resolved
  or closed: only those can be rated); response rate = rated / answered.
- **sessions**: reception and dialogue sessions starting in the period (local day); the head's
  monthly duty per month (Law 42/2013 Art. 18(2)): met when a session of the head in person
  was held that month, missed when the month is over without one, pending otherwise.
- **follow-ups** due in the period: done on time (`done_on <= due_on`), done late, not done.
- **articles**: articles published in the period (and not scheduled for later), per category.
"""

from __future__ import annotations

import calendar as month_calendar
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Date,
    and_,
    case,
    distinct,
    exists,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from portal.domain import dialogues as dialogue_rules
from portal.domain.periods import mean, median, months_between, rate
from portal.domain.workflow import FINAL_STATUSES, KINDS, OPEN_STATUSES
from portal.models import (
    Article,
    Case,
    CaseEvent,
    Category,
    Deadline,
    Dialogue,
    FollowUp,
    Registration,
    article_categories,
)

ACCEPTED_STATUSES: Final = frozenset({"accepted", "in_progress", "suspended", "resolved", "closed"})
ANSWERED_STATUSES: Final = frozenset({"resolved", "closed"})
# Final statuses reached without an approved answer: their end is dated by the event.
ENDED_STATUSES: Final = FINAL_STATUSES - ANSWERED_STATUSES
OUTCOMES: Final[dict[str, frozenset[str]]] = {
    "accepted": ACCEPTED_STATUSES,
    "refused": frozenset({"not_accepted"}),
    "guided": frozenset({"guided"}),
    "forwarded": frozenset({"forwarded"}),
    "filed": frozenset({"filed"}),
    "withdrawn": frozenset({"withdrawn"}),
    "unclassified": frozenset({"received"}),
}
OUTSIDE_GROUND: Final = "outside_competence"
RATINGS: Final = (1, 2, 3, 4, 5)


# --- SQL conditions, shared with the queue so a figure and its list agree -------------------


def day_start_utc(day: date) -> datetime:
    """The UTC moment a local day begins."""
    return dialogue_rules.local_to_utc(day, time.min)


def received_between(start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    conditions = []
    if start is not None:
        conditions.append(Case.received_on >= start)
    if end is not None:
        conditions.append(Case.received_on <= end)
    return conditions


def _open_on_parts(day: date, entity: Any = Case) -> list[ColumnElement[bool]]:
    """The three disjoint ways a case received before `day` was still open when it began."""
    ended_after = exists().where(
        CaseEvent.case_id == entity.id,
        CaseEvent.to_status.in_(ENDED_STATUSES),
        CaseEvent.at >= day_start_utc(day),
    )
    before = entity.received_on < day
    return [
        and_(entity.status.in_(OPEN_STATUSES), before),
        and_(entity.status.in_(ANSWERED_STATUSES), entity.answered_on >= day, before),
        and_(entity.status.in_(ENDED_STATUSES), before, ended_after),
    ]


def open_on(day: date) -> ColumnElement[bool]:
    """Cases received before `day` and not finished before it began (see "carried over").

    The ids of the three parts, each found through its own index, then the cases by id."""
    parts = []
    for condition in range(3):
        inner = aliased(Case)
        parts.append(select(inner.id).where(_open_on_parts(day, inner)[condition]))
    return Case.id.in_(union_all(*parts))


def outside_competence() -> ColumnElement[bool]:
    return or_(
        Case.status.in_(("guided", "forwarded")),
        and_(Case.status == "not_accepted", Case.outcome_ground == OUTSIDE_GROUND),
    )


def within_competence() -> ColumnElement[bool]:
    """Classified and not outside our competence, said positively so an index on the status
    answers it."""
    return or_(
        Case.status.in_(ACCEPTED_STATUSES | {"filed", "withdrawn"}),
        and_(
            Case.status == "not_accepted",
            or_(Case.outcome_ground.is_(None), Case.outcome_ground != OUTSIDE_GROUND),
        ),
    )


def deadline_met_between(
    start: date, end: date, *, on_time: bool | None = None, rule_id: str | None = None
) -> ColumnElement[bool]:
    """Cases with a deadline met (not stopped) in the period; on time, late, or either.

    The matching deadlines are found by the day they were met, then their cases by id."""
    conditions = [
        Deadline.case_id.is_not(None),
        Deadline.met_on >= start,
        Deadline.met_on <= end,
        Deadline.stopped_reason.is_(None),
    ]
    if on_time is True:
        conditions.append(Deadline.met_on <= Deadline.due_on)
    elif on_time is False:
        conditions.append(Deadline.met_on > Deadline.due_on)
    if rule_id:
        conditions.append(Deadline.rule_id == rule_id)
    return Case.id.in_(select(Deadline.case_id).where(*conditions))


# --- the figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleFigures:
    """Deadlines of one rule met in the period."""

    rule_id: str
    on_time: int
    late: int

    @property
    def met(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.met)


@dataclass(frozen=True)
class MonthDuty:
    """The head's monthly reception duty: "met", "missed" or "pending"."""

    year: int
    month: int
    state: str


@dataclass(frozen=True)
class CategoryCount:
    slug: str
    name: str
    name_en: str | None
    articles: int


@dataclass(frozen=True)
class Statistics:
    start: date
    end: date
    division_id: int | None
    today: date
    received: int
    received_by_kind: dict[str, int]
    received_by_channel: dict[str, int]
    received_by_field: dict[str, int]  # "" for cases without a field
    carried_over: int
    within_competence: int
    outside_competence: int
    unclassified: int
    outcomes: dict[str, int]  # the keys of OUTCOMES
    deadlines_by_rule: tuple[RuleFigures, ...]
    open_now: int
    overdue_now: int
    resolved: int
    days_to_resolve_average: float | None
    days_to_resolve_median: float | None
    ratings: dict[int, int]  # 1..5 -> how many
    answered: int  # received in the period and answered: the cases that could be rated
    sessions_held: int
    sessions_by_kind: dict[str, int]  # held sessions per kind
    sessions_cancelled: int
    head_duty: tuple[MonthDuty, ...]
    registrations: dict[str, int]  # confirmed, waiting, cancelled
    attendance: dict[str, int]  # attended, no_show, walk_in
    follow_ups_due: int
    follow_ups_on_time: int
    follow_ups_late: int
    follow_ups_not_done: int
    articles_published: int
    articles_by_category: tuple[CategoryCount, ...] = field(default=())

    @property
    def met_on_time(self) -> int:
        return sum(rule.on_time for rule in self.deadlines_by_rule)

    @property
    def met_late(self) -> int:
        return sum(rule.late for rule in self.deadlines_by_rule)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.met_on_time, self.met_on_time + self.met_late)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def rating_average(self) -> float | None:
        return mean(self.ratings)

    @property
    def response_rate(self) -> float | None:
        return rate(self.rated, self.answered)

    @property
    def duty_met(self) -> int:
        return sum(1 for month in self.head_duty if month.state == "met")

    @property
    def duty_missed(self) -> int:
        return sum(1 for month in self.head_duty if month.state == "missed")

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: dates as ISO strings, the derived rates included."""
        data = asdict(self)
        for key in ("start", "end", "today"):
            data[key] = data[key].isoformat()
        data["ratings"] = {str(k): v for k, v in self.ratings.items()}
        data["deadlines_by_rule"] = [
            {**asdict(rule), "met": rule.met, "on_time_rate": rule.on_time_rate}
            for rule in self.deadlines_by_rule
        ]
        for name in (
            "met_on_time",
            "met_late",
            "on_time_rate",
            "rated",
            "rating_average",
            "response_rate",
            "duty_met",
            "duty_missed",
        ):
            data[name] = getattr(self, name)
        return data


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _in_division(division_id: int | None) -> list[ColumnElement[bool]]:
    return [Case.division_id == division_id] if division_id else []


def compute(
    session: Session, *, start: date, end: date, division_id: int | None, today: date
) -> Statistics:
    """Every figure of the officials' statistics for the days start..end (see the module)."""
    division = _in_division(division_id)
    # Grouped in the order of ix_cases_statistics, which also holds received_on: the database
    # reads that index in order instead of sorting the period's cases.
    grouped = (
        Case.kind,
        Case.channel,
        Case.status,
        Case.field,
        Case.satisfaction_rating,
        Case.outcome_ground,
    )
    received_day = _unsorted(session, Case.received_on)
    received_rows = session.execute(
        select(*grouped, func.count())
        .where(received_day >= start, received_day <= end, *division)
        .group_by(*grouped)
    ).all()
    by_kind: Counter[str] = Counter({kind: 0 for kind in KINDS})
    by_channel: Counter[str] = Counter()
    by_field: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    ratings: Counter[int] = Counter({rating: 0 for rating in RATINGS})
    outside = answered = 0
    for kind, channel, status, field_name, rating, ground, count in received_rows:
        by_kind[kind] += count
        by_channel[channel] += count
        by_field[field_name or ""] += count
        by_status[status] += count
        if status in ANSWERED_STATUSES:
            answered += count
            if rating in ratings:
                ratings[rating] += count
        if status in ("guided", "forwarded") or (
            status == "not_accepted" and ground == OUTSIDE_GROUND
        ):
            outside += count
    received = sum(by_status.values())
    outcomes = {name: sum(by_status[s] for s in statuses) for name, statuses in OUTCOMES.items()}
    unclassified = outcomes["unclassified"]

    # three counts rather than one OR, so each can use its own index
    carried_over = sum(_count(session, part, *division) for part in _open_on_parts(start))

    met_rows = session.execute(
        _with_division(
            select(
                Deadline.rule_id,
                func.sum(case((Deadline.met_on <= Deadline.due_on, 1), else_=0)),
                func.sum(case((Deadline.met_on > Deadline.due_on, 1), else_=0)),
            )
            .where(
                Deadline.case_id.is_not(None),
                Deadline.met_on >= start,
                Deadline.met_on <= end,
                Deadline.stopped_reason.is_(None),
            )
            .group_by(Deadline.rule_id)
            .order_by(Deadline.rule_id),
            division_id,
        )
    ).all()
    by_rule = tuple(
        RuleFigures(rule_id, int(on_time or 0), int(late or 0))
        for rule_id, on_time, late in met_rows
    )

    open_row = session.execute(
        select(
            func.count(),
            func.sum(case((Case.next_due_on < today, 1), else_=0)),
        ).where(Case.status.in_(OPEN_STATUSES), Case.received_on <= end, *division)
    ).one()

    # Grouped by the two days in the order of ix_cases_answered: no sort; a year has a few
    # thousand pairs, turned into days here.
    histogram: Counter[int] = Counter()
    for answered_on, received_on, count in session.execute(
        select(Case.answered_on, Case.received_on, func.count())
        .where(Case.answered_on >= start, Case.answered_on <= end, *division)
        .group_by(Case.answered_on, Case.received_on)
    ):
        histogram[(answered_on - received_on).days] += count

    sessions = _sessions(session, start, end, today)
    follow_ups = _follow_ups(session, start, end, division_id)
    articles_total, by_category = _articles(session, start, end, today)
    return Statistics(
        start=start,
        end=end,
        division_id=division_id,
        today=today,
        received=received,
        received_by_kind=dict(by_kind),
        received_by_channel=dict(sorted(by_channel.items())),
        received_by_field=dict(sorted(by_field.items())),
        carried_over=carried_over,
        within_competence=received - outside - unclassified,
        outside_competence=outside,
        unclassified=unclassified,
        outcomes=outcomes,
        deadlines_by_rule=by_rule,
        open_now=int(open_row[0] or 0),
        overdue_now=int(open_row[1] or 0),
        resolved=sum(histogram.values()),
        days_to_resolve_average=mean(histogram),
        days_to_resolve_median=median(histogram),
        ratings=dict(sorted(ratings.items())),
        answered=answered,
        articles_published=articles_total,
        articles_by_category=by_category,
        **sessions,
        **follow_ups,
    )


def _count(session: Session, *conditions: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0


def _with_division(query: Any, division_id: int | None) -> Any:
    if not division_id:
        return query
    return query.where(Deadline.case_id.in_(select(Case.id).where(Case.division_id == division_id)))


def _unsorted(session: Session, column: Any) -> Any:
    """`column` as SQLite's planner will not use for a range: a grouped query then reads a
    covering index in GROUP BY order instead of sorting every row it counts. PostgreSQL
    hashes the groups, so there the column stays as it is."""
    if _dialect(session) == "sqlite":
        return func.date(column, type_=Date)
    return column


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC moments bounding the local days start..end (the second one excluded)."""
    return day_start_utc(start), day_start_utc(end + timedelta(days=1))


def _sessions(session: Session, start: date, end: date, today: date) -> dict[str, Any]:
    begin, finish = _moments(start, end)
    dialogues = session.execute(
        select(
            Dialogue.id,
            Dialogue.kind,
            Dialogue.starts_at,
            Dialogue.status,
            Dialogue.mode,
            Dialogue.host_is_head,
        ).where(Dialogue.starts_at >= begin, Dialogue.starts_at < finish)
    ).all()
    held = Counter(row.kind for row in dialogues if row.status == "held")
    head_held = {
        (day.year, day.month)
        for row in dialogues
        if row.status == "held" and row.host_is_head and row.mode in dialogue_rules.IN_PERSON_MODES
        for day in [dialogue_rules.local_day(row.starts_at)]
    }
    duty = []
    for year, month in months_between(start, end):
        last = date(year, month, month_calendar.monthrange(year, month)[1])
        if (year, month) in head_held:
            state = "met"
        elif last < today:
            state = "missed"
        else:
            state = "pending"
        duty.append(MonthDuty(year, month, state))
    in_period = Registration.dialogue_id.in_(
        select(Dialogue.id).where(Dialogue.starts_at >= begin, Dialogue.starts_at < finish)
    )
    registrations: Counter[str] = Counter({"confirmed": 0, "waiting": 0, "cancelled": 0})
    attendance: Counter[str] = Counter({"attended": 0, "no_show": 0, "walk_in": 0})
    for status, attended, walk_in, count in session.execute(
        select(
            Registration.status,
            Registration.attendance,
            Registration.walk_in,
            func.count(),
        )
        .where(in_period)
        .group_by(Registration.status, Registration.attendance, Registration.walk_in)
    ):
        registrations[status] += count
        if attended in ("attended", "no_show"):
            attendance[attended] += count
        if walk_in:
            attendance["walk_in"] += count
    return {
        "sessions_held": sum(held.values()),
        "sessions_by_kind": {kind: held[kind] for kind in dialogue_rules.KINDS},
        "sessions_cancelled": sum(1 for row in dialogues if row.status == "cancelled"),
        "head_duty": tuple(duty),
        "registrations": dict(registrations),
        "attendance": dict(attendance),
    }


def _follow_ups(
    session: Session, start: date, end: date, division_id: int | None
) -> dict[str, int]:
    conditions = [FollowUp.due_on >= start, FollowUp.due_on <= end]
    if division_id:
        conditions.append(FollowUp.division_id == division_id)
    done = FollowUp.done_on.is_not(None)
    row = session.execute(
        select(
            func.count(),
            func.sum(case((and_(done, FollowUp.done_on <= FollowUp.due_on), 1), else_=0)),
            func.sum(case((and_(done, FollowUp.done_on > FollowUp.due_on), 1), else_=0)),
        ).where(*conditions)
    ).one()
    due, on_time, late = (int(value or 0) for value in row)
    return {
        "follow_ups_due": due,
        "follow_ups_on_time": on_time,
        "follow_ups_late": late,
        "follow_ups_not_done": due - on_time - late,
    }


def _articles(
    session: Session, start: date, end: date, today: date
) -> tuple[int, tuple[CategoryCount, ...]]:
    begin, finish = _moments(start, end)
    # Not after the end of today: an article scheduled for later is not published yet.
    finish = min(finish, day_start_utc(today + timedelta(days=1)))
    published = [
        Article.status == "published",
        Article.published_at >= begin,
        Article.published_at < finish,
    ]
    total = session.scalar(select(func.count()).select_from(Article).where(*published)) or 0
    rows = session.execute(
        select(Category.slug, Category.name, Category.name_en, func.count(distinct(Article.id)))
        .join(article_categories, article_categories.c.category_id == Category.id)
        .join(Article, Article.id == article_categories.c.article_id)
        .where(*published)
        .group_by(Category.id, Category.slug, Category.name, Category.name_en)
        .order_by(func.count(distinct(Article.id)).desc(), Category.name)
    ).all()
    return total, tuple(CategoryCount(*row) for row in rows)


# --- the public page and the API: headline figures per month --------------------------------


@dataclass(frozen=True)
class Headline:
    """The public figures of one month (`month` 1-12) or of the whole year (`month` None)."""

    year: int
    month: int | None
    received: int
    resolved: int
    met_on_time: int
    met_late: int
    overdue: int
    rating_total: int
    rated: int
    sessions_held: int

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.met_on_time, self.met_on_time + self.met_late)

    @property
    def rating_average(self) -> float | None:
        return self.rating_total / self.rated if self.rated else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "month": self.month,
            "received": self.received,
            "resolved": self.resolved,
            "met_on_time": self.met_on_time,
            "met_late": self.met_late,
            "on_time_rate": self.on_time_rate,
            "overdue": self.overdue,
            "rated": self.rated,
            "rating_average": self.rating_average,
            "sessions_held": self.sessions_held,
        }


def public_headlines(session: Session, *, year: int, today: date) -> list[Headline]:
    """Twelve months of `year` then the year's total, nothing that identifies anyone.

    Per month: received in the month; resolved (answer approved) in the month; deadlines met
    in the month on time or late; cases received in the month open and overdue today;
    ratings of cases received in the month; sessions held in the month. Months after today
    are left out.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    last_month = 12 if today.year > year else (today.month if today.year == year else 0)
    overdue = and_(Case.status.in_(OPEN_STATUSES), Case.next_due_on < today)
    received, resolved, met = {}, {}, {}
    # One range per month and figure: each reads a covering index, nothing is sorted.
    for month in range(1, last_month + 1):
        first = date(year, month, 1)
        last = date(year, month, month_calendar.monthrange(year, month)[1])
        received[month] = session.execute(
            select(
                func.count(),
                func.sum(case((overdue, 1), else_=0)),
                func.sum(func.coalesce(Case.satisfaction_rating, 0)),
                func.count(Case.satisfaction_rating),
            ).where(Case.received_on >= first, Case.received_on <= last)
        ).one()
        resolved[month] = session.scalar(
            select(func.count()).where(Case.answered_on >= first, Case.answered_on <= last)
        )
        met[month] = session.execute(
            select(
                func.sum(case((Deadline.met_on <= Deadline.due_on, 1), else_=0)),
                func.sum(case((Deadline.met_on > Deadline.due_on, 1), else_=0)),
            ).where(
                Deadline.met_on >= first,
                Deadline.met_on <= last,
                Deadline.stopped_reason.is_(None),
                Deadline.case_id.is_not(None),
            )
        ).one()
    begin, finish = _moments(start, end)
    held: Counter[int] = Counter(
        dialogue_rules.local_day(moment).month
        for moment in session.scalars(
            select(Dialogue.starts_at).where(
                Dialogue.status == "held", Dialogue.starts_at >= begin, Dialogue.starts_at < finish
            )
        )
    )
    rows = []
    for month in range(1, last_month + 1):
        got = received[month]
        rows.append(
            Headline(
                year=year,
                month=month,
                received=int(got[0] or 0),
                resolved=int(resolved[month] or 0),
                met_on_time=int(met[month][0] or 0),
                met_late=int(met[month][1] or 0),
                overdue=int(got[1] or 0),
                rating_total=int(got[2] or 0),
                rated=int(got[3] or 0),
                sessions_held=held[month],
            )
        )
    total = Headline(
        year=year,
        month=None,
        **{
            name: sum(getattr(row, name) for row in rows)
            for name in (
                "received",
                "resolved",
                "met_on_time",
                "met_late",
                "overdue",
                "rating_total",
                "rated",
                "sessions_held",
            )
        },
    )
    return [*rows, total]
