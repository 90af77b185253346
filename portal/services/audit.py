"""Writing the audit trail. Callers commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.models import AuditLog


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
    entry = AuditLog(
        at=now,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        detail=detail,
    )
    session.add(entry)
    return entry
