"""What comes of a held session: its minutes and conclusions (published or not), and the
follow-up tasks the conclusions give divisions, with their due dates and status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from portal.domain import dialogues as rules
from portal.models import Dialogue, Division, FollowUp
from portal.services.dialogues.base import DialogueError, commit_audited


def division_names(session: Session) -> dict[int, str]:
    """Every division's name by id, to show whom a follow-up is given to."""
    return {d.id: d.name for d in session.scalars(select(Division))}


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
        condition: ColumnElement[bool] = FollowUp.division_id.in_(ids)
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
    action = "dialogue.publish_conclusions" if publish else "dialogue.conclusions"
    commit_audited(session, action, dialogue, actor_id=actor_id, now=now)


def unpublish_conclusions(
    session: Session, dialogue: Dialogue, *, now: datetime, actor_id: int | None
) -> None:
    dialogue.conclusions_published = False
    commit_audited(session, "dialogue.unpublish_conclusions", dialogue, actor_id=actor_id, now=now)


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
    commit_audited(session, "dialogue.follow_up", follow_up, actor_id=actor_id, now=now)
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
    commit_audited(
        session, "dialogue.follow_up_status", follow_up, actor_id=actor_id, now=now, status=status
    )
