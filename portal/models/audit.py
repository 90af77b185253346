"""The audit trail and the e-mail outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models.types import UTCDateTime, utcnow


class AuditLog(Model):
    """Who did what to which record, and when. Append-only."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(60))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboxMessage(Model):
    """An e-mail waiting for delivery; written in the same transaction as its cause.

    A delivery worker claims a message (claim_token, claimed_at) before sending it, so two
    workers never send one message twice; a failed attempt waits until next_attempt_at.
    A confidential case's receipt keeps its address only sealed (sealed_recipient), erased
    once sent. case_id and purpose let the citizen's lookup page say whether the receipt
    went out; they are not a foreign key: mail is not part of the case's record.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sealed_recipient: Mapped[bytes | None] = mapped_column(LargeBinary)
    case_id: Mapped[int | None] = mapped_column(index=True)
    purpose: Mapped[str | None] = mapped_column(String(20))
