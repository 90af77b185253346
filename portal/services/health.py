"""What the readiness check asks of the database: does it answer, and is mail flowing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.models import OutboxMessage


def database_answers(session: Session) -> None:
    """A cheap query; raises when the database cannot answer."""
    session.execute(text("SELECT 1")).scalar_one()


def oldest_pending_mail_age(session: Session, *, now: datetime) -> timedelta | None:
    """How long the oldest e-mail still waiting in the outbox has waited (None: none waits)."""
    oldest = session.scalar(
        select(OutboxMessage.created_at)
        .where(OutboxMessage.status == "pending")
        .order_by(OutboxMessage.created_at)
        .limit(1)
    )
    return None if oldest is None else now - oldest
