"""The Director's reception and dialogue sessions, registrations and follow-ups."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain import limits
from portal.extensions import Model
from portal.models.types import UTCDateTime, utcnow


class Dialogue(Model):
    __tablename__ = "dialogues"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # periodic | unscheduled | dialogue
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[str] = mapped_column(String(20), default="in_person")
    place: Mapped[str | None] = mapped_column(String(300))
    online_link: Mapped[str | None] = mapped_column(String(500))
    host_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    host_name: Mapped[str] = mapped_column(String(200))
    host_is_head: Mapped[bool] = mapped_column(default=True)
    capacity: Mapped[int] = mapped_column(default=30)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    public_note: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[str | None] = mapped_column(Text)
    conclusions: Mapped[str | None] = mapped_column(Text)
    conclusions_published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registrations: Mapped[list[Registration]] = relationship(
        back_populates="dialogue", cascade="all, delete-orphan"
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="dialogue", cascade="all, delete-orphan"
    )


class Registration(Model):
    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("code_hash"),
        Index("ix_registrations_dialogue_status", "dialogue_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(limits.NAME_MAX))
    phone: Mapped[str | None] = mapped_column(String(limits.PHONE_MAX))
    email: Mapped[str | None] = mapped_column(String(limits.EMAIL_MAX))
    matter: Mapped[str] = mapped_column(Text)
    matter_kind: Mapped[str | None] = mapped_column(String(20))
    question: Mapped[str | None] = mapped_column(Text)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="confirmed")
    position: Mapped[int] = mapped_column(default=0)
    attendance: Mapped[str | None] = mapped_column(String(20))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    # Added by an official on the day for a citizen who came without registering.
    walk_in: Mapped[bool] = mapped_column(default=False)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dialogue: Mapped[Dialogue] = relationship(back_populates="registrations")


class FollowUp(Model):
    """A task arising from a session's conclusions, followed up to done."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    conclusion: Mapped[str] = mapped_column(Text)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id"))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    done_on: Mapped[date | None] = mapped_column(Date)
    public_note: Mapped[str | None] = mapped_column(Text)
    last_reminded_on: Mapped[date | None] = mapped_column(Date)

    dialogue: Mapped[Dialogue] = relationship(back_populates="follow_ups")
