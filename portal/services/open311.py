"""Open311 GeoReport v2: filing a petition or reflection for another system, and finding the
cases whose answers may be shown to anybody."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import Session

from portal.domain.open311 import ANSWERED_STATUSES, MAX_RESULTS, SERVICE_CODES
from portal.models import Case


def _public() -> Select[tuple[Case]]:
    """Petitions and reflections, not confidential, whose answer has been published."""
    return select(Case).where(
        Case.kind.in_(SERVICE_CODES),
        Case.confidential.is_(False),
        Case.public_answer.is_not(None),
        Case.public_answer != "",
        Case.status.in_(ANSWERED_STATUSES),
    )


def public_cases(
    session: Session,
    *,
    start: datetime,
    end: datetime,
    kinds: Collection[str] = SERVICE_CODES,
    statuses: Collection[str] = ANSWERED_STATUSES,
    limit: int = MAX_RESULTS,
) -> list[Case]:
    """Answered cases submitted between `start` and `end`, newest first, at most `limit`."""
    query = (
        _public()
        .where(
            Case.submitted_at >= start,
            Case.submitted_at <= end,
            Case.kind.in_(list(kinds)),
            Case.status.in_(list(statuses)),
        )
        .order_by(Case.submitted_at.desc(), Case.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def public_cases_by_number(session: Session, numbers: Collection[tuple[int, int]]) -> list[Case]:
    """The answered cases among these (year, sequence) numbers, in register order."""
    if not numbers:
        return []
    query = (
        _public()
        .where(tuple_(Case.year, Case.sequence).in_(list(numbers)))
        .order_by(Case.year, Case.sequence)
    )
    return list(session.scalars(query))
