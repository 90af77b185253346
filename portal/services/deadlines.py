"""Legal deadlines of cases: the calendar as stored, the rules in force, recomputation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal.domain.calendar import BUILTIN_CORRECTIONS, Override, WorkingCalendar, override_kind
from portal.domain.deadlines import (
    RULES,
    Computation,
    Rule,
    RulesFileError,
    due_date,
    load_rules,
)
from portal.domain.deadlines.table import PETITION_ANSWER
from portal.models import AuditLog, CalendarOverride, Deadline
from portal.services import ServiceError
from portal.services.audit import record
from portal.services.register_lock import take_register_lock

# load_calendar lives in stored_calendar; its callers import it from here.
from portal.services.stored_calendar import load_calendar as load_calendar


class CalendarError(ServiceError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Move:
    deadline_id: int
    case_id: int | None
    rule_id: str
    old_due: date
    new_due: date


@dataclass
class RecomputeReport:
    checked: int = 0
    moves: list[Move] = field(default_factory=list)


def rules_from_file(path: Path, *, petition_answer_days: int | None = None) -> dict[str, Rule]:
    """The built-in rules as restated by the deployment's TOML file, if there is one.

    `petition_answer_days` (the PETITION_ANSWER_WORKING_DAYS setting) is the length of the
    department's own rule `petition.answer`; the rules file may still restate it.
    Raises RulesFileError naming the file and the key when the file does not validate.
    """
    base = dict(RULES)
    if petition_answer_days is not None:
        if petition_answer_days < 1:
            raise RulesFileError("PETITION_ANSWER_WORKING_DAYS: must be at least 1")
        base[PETITION_ANSWER] = replace(base[PETITION_ANSWER], length=petition_answer_days)
    if not path.exists():
        return load_rules(None, base)
    return load_rules(path.read_text(encoding="utf-8"), base, source=str(path))


class StoredDeadline(Protocol):
    """What the counting needs from a stored deadline: a :class:`Deadline`, or a row that
    selects the same columns (the bulk recomputation reads only those)."""

    @property
    def rule_id(self) -> str: ...
    @property
    def started_on(self) -> date: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def complex(self) -> bool: ...
    @property
    def very_complex(self) -> bool: ...
    @property
    def remote(self) -> bool: ...
    @property
    def multi_place(self) -> bool: ...
    @property
    def extensions(self) -> int: ...
    @property
    def paused_days(self) -> int: ...


def compute(
    deadline: StoredDeadline,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
    *,
    explain: bool = True,
) -> Computation:
    """The due date of a stored deadline under ``rules``: the one place that turns a stored
    deadline into a call of :func:`due_date`, for its page and for the bulk recomputation.

    An hour-based rule counts from ``started_at``; without one, :func:`due_date` refuses the
    day-only start with ``datetime_required``.
    """
    rule = rules[deadline.rule_id]
    start: date | datetime = deadline.started_on
    if rule.unit == "hours" and deadline.started_at is not None:
        start = deadline.started_at
    return due_date(
        rule,
        start,
        calendar,
        complex=deadline.complex,
        very_complex=deadline.very_complex,
        remote=deadline.remote,
        multi_place=deadline.multi_place,
        extensions=deadline.extensions,
        paused_days=deadline.paused_days,
        explain=explain,
    )


def _due_on(result: Computation) -> date:
    due = result.due
    return due.date() if isinstance(due, datetime) else due


def recompute_open_deadlines(
    session: Session,
    *,
    rules: dict[str, Rule],
    calendar: WorkingCalendar | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 5000,
) -> RecomputeReport:
    """Recompute every open deadline with the current calendar and rules; report what moved.

    Reads only the columns the computation needs and writes only the rows that changed, in
    batches, so that 100,000 open deadlines take seconds (benchmarks/recompute_deadlines.py).
    """
    calendar = calendar or load_calendar(session)
    report = RecomputeReport()
    columns = (
        Deadline.id,
        Deadline.case_id,
        Deadline.rule_id,
        Deadline.started_on,
        Deadline.started_at,
        Deadline.complex,
        Deadline.very_complex,
        Deadline.remote,
        Deadline.multi_place,
        Deadline.extensions,
        Deadline.paused_days,
        Deadline.due_on,
    )
    query = select(*columns).where(Deadline.met_on.is_(None)).order_by(Deadline.id)
    last_id = 0
    while True:
        rows = session.execute(query.where(Deadline.id > last_id).limit(batch_size)).all()
        if not rows:
            break
        changes = []
        for row in rows:
            if row.rule_id not in rules:
                continue
            result = compute(row, rules, calendar, explain=False)
            new_due = _due_on(result)
            if new_due != row.due_on:
                due_at = result.due if isinstance(result.due, datetime) else None
                changes.append({"id": row.id, "due_on": new_due, "due_at": due_at})
                report.moves.append(Move(row.id, row.case_id, row.rule_id, row.due_on, new_due))
        if changes:
            session.execute(update(Deadline), changes)
            refresh_next_due(session, {row.case_id for row in rows if row.case_id})
        report.checked += len(rows)
        last_id = rows[-1].id
        if progress:
            progress(len(rows))
    session.commit()
    return report


def refresh_next_due(session: Session, case_ids: set[int]) -> None:
    """Recompute cases.next_due_on for these cases from their open deadlines."""
    from portal.models import Case

    nearest = (
        select(func.min(Deadline.due_on))
        .where(Deadline.case_id == Case.id, Deadline.met_on.is_(None))
        .scalar_subquery()
    )
    ids = sorted(case_ids)
    for start in range(0, len(ids), 1000):
        session.execute(
            update(Case).where(Case.id.in_(ids[start : start + 1000])).values(next_due_on=nearest),
            execution_options={"synchronize_session": False},
        )


def sync_builtin_corrections(
    session: Session, *, now: datetime, corrections: Iterable[Override] = BUILTIN_CORRECTIONS
) -> list[Override]:
    """Store the corrections this release knows of and the database lacks.

    A day that already has an override is left alone, and so is a built-in correction an
    administrator removed (the audit log remembers it), so running this twice adds nothing.
    """
    take_register_lock(session)  # no case is numbered on a calendar being changed
    taken = set(session.scalars(select(CalendarOverride.day)).all())
    removed = {
        entry.detail.get("day")
        for entry in session.scalars(
            select(AuditLog).where(AuditLog.action == "calendar.override.delete")
        )
        if entry.detail.get("builtin")
    }
    added = []
    for correction in corrections:
        if correction.day in taken or correction.day.isoformat() in removed:
            continue
        session.add(
            CalendarOverride(
                day=correction.day,
                kind=correction.kind,
                note=correction.note,
                note_en=correction.note_en,
                source=correction.source,
                builtin=True,
                created_at=now,
            )
        )
        taken.add(correction.day)
        added.append(correction)
    if added:
        record(
            session,
            actor_id=None,
            action="calendar.sync",
            now=now,
            days=[c.day.isoformat() for c in added],
        )
    session.commit()
    return added


def add_override(
    session: Session,
    *,
    day: date,
    kind: str,
    note: str,
    source: str,
    actor_id: int,
    now: datetime,
    rules: dict[str, Rule],
) -> RecomputeReport:
    take_register_lock(session)  # no case is numbered on a calendar being changed
    if session.scalar(select(CalendarOverride.id).where(CalendarOverride.day == day)):
        raise CalendarError("day_taken")
    Override(day=day, kind=override_kind(kind), note=note, source=source)  # validates the kind
    row = CalendarOverride(
        day=day, kind=kind, note=note, source=source, created_by_id=actor_id, created_at=now
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor_id=actor_id,
        action="calendar.override.add",
        now=now,
        target_type="calendar_override",
        target_id=row.id,
        day=day.isoformat(),
        kind=kind,
        note=note,
        source=source,
    )
    return _recompute_and_record(session, rules=rules, actor_id=actor_id, now=now)


def remove_override(
    session: Session, *, override_id: int, actor_id: int, now: datetime, rules: dict[str, Rule]
) -> RecomputeReport:
    take_register_lock(session)  # no case is numbered on a calendar being changed
    row = session.get(CalendarOverride, override_id)
    if row is None:
        raise CalendarError("not_found")
    record(
        session,
        actor_id=actor_id,
        action="calendar.override.delete",
        now=now,
        target_type="calendar_override",
        target_id=row.id,
        day=row.day.isoformat(),
        kind=row.kind,
        note=row.note,
        source=row.source,
        builtin=row.builtin,
    )
    session.delete(row)
    session.flush()
    return _recompute_and_record(session, rules=rules, actor_id=actor_id, now=now)


def _recompute_and_record(
    session: Session, *, rules: dict[str, Rule], actor_id: int, now: datetime
) -> RecomputeReport:
    report = recompute_open_deadlines(session, rules=rules, calendar=load_calendar(session))
    if report.moves:
        record(
            session,
            actor_id=actor_id,
            action="deadline.recompute",
            now=now,
            checked=report.checked,
            moved=len(report.moves),
        )
        session.commit()
    return report
