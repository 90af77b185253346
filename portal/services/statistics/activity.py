"""The figures of the department's other work in a period: reception and dialogue sessions
with the head's monthly duty, registrations and attendance; follow-ups due; articles
published."""

from __future__ import annotations

import calendar as month_calendar
from collections import Counter
from datetime import date, timedelta
from typing import TypedDict

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from portal.domain import dialogues as dialogue_rules
from portal.domain.periods import months_between
from portal.models import Article, Category, Dialogue, FollowUp, Registration, article_categories
from portal.services.statistics.conditions import day_start_utc, moments
from portal.services.statistics.figures import CategoryCount, MonthDuty


class SessionFigures(TypedDict):
    """The session fields of `Statistics`."""

    sessions_held: int
    sessions_by_kind: dict[str, int]
    sessions_cancelled: int
    head_duty: tuple[MonthDuty, ...]
    registrations: dict[str, int]
    attendance: dict[str, int]


class FollowUpFigures(TypedDict):
    """The follow-up fields of `Statistics`."""

    follow_ups_due: int
    follow_ups_on_time: int
    follow_ups_late: int
    follow_ups_not_done: int


def session_figures(session: Session, start: date, end: date, today: date) -> SessionFigures:
    begin, finish = moments(start, end)
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
    return SessionFigures(
        sessions_held=sum(held.values()),
        sessions_by_kind={kind: held[kind] for kind in dialogue_rules.KINDS},
        sessions_cancelled=sum(1 for row in dialogues if row.status == "cancelled"),
        head_duty=tuple(duty),
        registrations=dict(registrations),
        attendance=dict(attendance),
    )


def follow_up_figures(
    session: Session, start: date, end: date, division_id: int | None
) -> FollowUpFigures:
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
    return FollowUpFigures(
        follow_ups_due=due,
        follow_ups_on_time=on_time,
        follow_ups_late=late,
        follow_ups_not_done=due - on_time - late,
    )


def article_figures(
    session: Session, start: date, end: date, today: date
) -> tuple[int, tuple[CategoryCount, ...]]:
    begin, finish = moments(start, end)
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
