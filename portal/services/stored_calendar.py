"""The working-day calendar as stored: built once per process from the stored overrides and
rebuilt only when their fingerprint changes (other workers and hosts share the database)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast
from weakref import WeakKeyDictionary

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Engine,
    Table,
    and_,
    bindparam,
    case,
    extract,
    func,
    select,
)
from sqlalchemy.orm import Session

from portal.domain.calendar import Override, WorkingCalendar, override_kind
from portal.models import CalendarOverride

Fingerprint = tuple[int, int, int, int]


@dataclass(frozen=True)
class StoredCalendar:
    """A calendar as built from the stored overrides, with their fingerprint: a write can
    check in its own statement that the overrides are still those (:func:`calendar_unchanged`).

    The fingerprint is how many overrides there are, the highest id, the sum of the ids and a
    sum over each one's day and kind. The last is for SQLite, which gives a new row the id of
    the newest row deleted: an override removed and another added (a typing mistake put
    right) leaves the ids as they were, not the days or kinds."""

    calendar: WorkingCalendar
    fingerprint: Fingerprint


_calendar_cache: WeakKeyDictionary[Engine, StoredCalendar] = WeakKeyDictionary()
_OVERRIDES = cast(Table, CalendarOverride.__table__).c
_DAY = _OVERRIDES.day
_DAY_AND_KIND = (
    extract("year", _DAY) * 40_000
    + extract("month", _DAY) * 400
    + extract("day", _DAY) * 4
    + case((_OVERRIDES.kind == "day_off", 1), (_OVERRIDES.kind == "working_day", 2), else_=3)
)
_FINGERPRINT_PARTS = (
    func.count(_OVERRIDES.id),
    func.coalesce(func.max(_OVERRIDES.id), 0),
    func.coalesce(func.sum(_OVERRIDES.id), 0),
    func.coalesce(func.sum(_DAY_AND_KIND), 0),
)
_OVERRIDES_FINGERPRINT = select(*_FINGERPRINT_PARTS)
# The names of the fingerprint's bind parameters in calendar_unchanged().
FINGERPRINT_PARAMETERS = ("calendar_count", "calendar_max", "calendar_sum", "calendar_days")


def load_calendar(session: Session) -> WorkingCalendar:
    """The working-day calendar: the package's baseline plus the stored overrides.

    The built-in corrections are stored rows too (see sync_builtin_corrections), so that
    administrators see them, and can remove them, like any other override.
    """
    return load_stored_calendar(session).calendar


def load_stored_calendar(session: Session) -> StoredCalendar:
    """The calendar and its fingerprint, current as of this query.

    Building a calendar costs milliseconds (the package computes each year's holidays), so
    each process keeps the last one and rebuilds it only when the overrides changed: a cheap
    fingerprint query tells, and works across workers and hosts sharing one database.
    """
    row = session.connection().execute(_OVERRIDES_FINGERPRINT).one()
    fingerprint = (int(row[0]), int(row[1]), int(row[2]), int(row[3]))
    key = session.get_bind().engine
    cached = _calendar_cache.get(key)
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    stored = StoredCalendar(_build_calendar(session), fingerprint)
    _calendar_cache[key] = stored
    return stored


def last_stored_calendar(session: Session) -> StoredCalendar | None:
    """The calendar this process loaded last for the session's database, without asking the
    database whether it is still current (None before the first load): for a write that
    checks the fingerprint in its own statement, so that the check and the write see the same
    overrides and no transaction is spent reading them first."""
    return _calendar_cache.get(session.get_bind().engine)


def calendar_unchanged() -> ColumnElement[bool]:
    """SQL that is true when the stored overrides still have the fingerprint given as the
    bind parameters named in FINGERPRINT_PARAMETERS."""
    matches = and_(
        *(
            part == bindparam(name, type_=BigInteger())
            for part, name in zip(_FINGERPRINT_PARTS, FINGERPRINT_PARAMETERS, strict=True)
        )
    )
    return select(matches).scalar_subquery()


def fingerprint_parameters(fingerprint: Fingerprint) -> dict[str, int]:
    return dict(zip(FINGERPRINT_PARAMETERS, fingerprint, strict=True))


def _build_calendar(session: Session) -> WorkingCalendar:
    rows = session.scalars(select(CalendarOverride)).all()
    return WorkingCalendar(
        [
            Override(
                day=r.day,
                kind=override_kind(r.kind),
                note=r.note,
                source=r.source,
                note_en=r.note_en,
            )
            for r in rows
        ],
        corrections=(),
    )
