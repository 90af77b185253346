"""Writing the audit trail. Callers commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from portal.models import AuditLog

_INSERT = cast(Table, AuditLog.__table__).insert()


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    now: datetime,
    target_type: str | None = None,
    target_id: object = None,
    **detail: Any,
) -> AuditLog:
    entry = AuditLog(**_row(actor_id, action, now, target_type, target_id, detail))
    session.add(entry)
    return entry


def record_row(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    now: datetime,
    target_type: str | None = None,
    target_id: object = None,
    **detail: Any,
) -> None:
    """The same entry as `record`, written at once as a plain insert: for the paths that run
    on every citizen's submission, where the unit of work's bookkeeping costs more than the
    row itself."""
    session.connection().execute(
        _INSERT, _row(actor_id, action, now, target_type, target_id, detail)
    )


def _row(
    actor_id: int | None,
    action: str,
    now: datetime,
    target_type: str | None,
    target_id: object,
    detail: dict[str, Any],
) -> dict[str, Any]:
    return {
        "at": now,
        "actor_id": actor_id,
        "action": action,
        "target_type": target_type,
        "target_id": None if target_id is None else str(target_id),
        "detail": detail,
    }
