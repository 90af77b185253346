""" "My work": the cases waiting for an official, and a daily e-mail digest of them.

Which cases wait for whom is the domain's table (`portal.domain.next_step.WAITING`): each of
its states becomes one SQL condition here, with no second copy of the rules. A state waits
for its roles; a personal one (the draft answer) only for the case's assignee. The viewer's
scope (`services/case_access.py`) is added to every list, as the queue does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.orm import Session, load_only

from portal.domain import next_step
from portal.domain.permissions import CaseScope, case_scope
from portal.models import Case, User
from portal.services.case_access import visible_cases
from portal.services.notifications import queue

# What a line of the list shows: the rest of a case is not read, and reading it raises.
ITEM_COLUMNS = load_only(
    Case.id,
    Case.year,
    Case.sequence,
    Case.kind,
    Case.subject,
    Case.status,
    Case.next_due_on,
    Case.received_on,
    raiseload=True,
)


def _state_condition(state: next_step.WaitingState, user_id: int) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [
        Case.status.in_(sorted(state.statuses)),
        Case.kind.in_(sorted(state.kinds)),
    ]
    if state.signed_letter is not None:
        signed = Case.signed_letter_on.is_not(None)
        conditions.append(signed if state.signed_letter else ~signed)
    if state.assigned is not None:
        assigned = Case.assignee_id.is_not(None)
        conditions.append(assigned if state.assigned else ~assigned)
    if state.has_draft_answer is not None:
        drafted = and_(Case.draft_answer.is_not(None), Case.draft_answer != "")
        conditions.append(drafted if state.has_draft_answer else ~drafted)
    if state.personal:
        conditions.append(Case.assignee_id == user_id)
    return and_(*conditions)


def waiting_states(roles: Iterable[str]) -> list[next_step.WaitingState]:
    """The states of the domain's table that wait for someone with these roles."""
    held = set(roles)
    return [state for state in next_step.WAITING if held & set(state.roles)]


def waiting_condition(user_id: int, roles: Iterable[str]) -> ColumnElement[bool]:
    """The condition on `Case` that keeps the cases waiting for this official."""
    states = waiting_states(roles)
    if not states:
        return false()
    return or_(*(_state_condition(state, user_id) for state in states))


def _key_expression(user_id: int, roles: Iterable[str]) -> ColumnElement[str]:
    states = waiting_states(roles)
    return case(*((_state_condition(state, user_id), state.key) for state in states), else_="none")


@dataclass(frozen=True)
class Item:
    case: Case
    key: str  # the step it waits for (next_step.WaitingState.key)


@dataclass(frozen=True)
class MyWork:
    items: list[Item]  # nearest deadline first, at most `limit`
    counts: dict[str, int]  # per step key, every waiting case counted
    total: int


def my_work(
    session: Session, *, user_id: int, roles: Iterable[str], scope: CaseScope, limit: int = 30
) -> MyWork:
    held = tuple(roles)
    where = and_(waiting_condition(user_id, held), visible_cases(scope))
    key = _key_expression(user_id, held).label("key")
    counts = {
        row.key: row.n
        for row in session.execute(
            select(key, func.count().label("n")).select_from(Case).where(where).group_by(key)
        )
    }
    rows = session.execute(
        select(Case, key)
        .where(where)
        .options(ITEM_COLUMNS)
        .order_by(Case.next_due_on.is_(None), Case.next_due_on, Case.received_on, Case.id)
        .limit(limit)
    ).all()
    return MyWork(
        items=[Item(case=row[0], key=row[1]) for row in rows],
        counts=counts,
        total=sum(counts.values()),
    )


# --- the daily digest --------------------------------------------------------------------

Render = Callable[[User, MyWork], tuple[str, str]]


def send_digests(session: Session, *, today: date, now: datetime, render: Render) -> int:
    """Queue one e-mail to each active official who has work waiting and has had no digest
    today; return how many were queued. Running it twice a day queues nothing more."""
    queued = 0
    officials = session.scalars(
        select(User)
        .where(User.active.is_(True))
        .where(or_(User.last_digest_on.is_(None), User.last_digest_on < today))
        .order_by(User.id)
    ).all()
    for user in officials:
        if not waiting_states(user.roles):
            continue
        scope = case_scope(user.roles, user.id, user.division_id)
        work = my_work(session, user_id=user.id, roles=user.roles, scope=scope)
        if not work.total:
            continue
        subject, body = render(user, work)
        queue(session, recipient=user.email, subject=subject, body=body, now=now)
        user.last_digest_on = today
        queued += 1
        session.commit()  # one digest at a time: a second run never sends it again
    session.commit()
    return queued
