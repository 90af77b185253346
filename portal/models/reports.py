"""The yearly mass-mobilisation report: a round per year and each division's report in it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.accounts import Division
from portal.models.types import UTCDateTime, utcnow


class ReportingRound(Model):
    """The Office's round for one year: divisions report by one date, the Office by another.

    `sections` holds the Office's consolidated text keyed by section id; `figures` is the
    snapshot of the department's figures taken when the round is compiled."""

    __tablename__ = "reporting_rounds"
    __table_args__ = (CheckConstraint("status IN ('open', 'compiled')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    # The period the figures cover (1 January to 30 September unless the Office changes it).
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    division_due_on: Mapped[date] = mapped_column(Date)
    office_due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    document_number: Mapped[str | None] = mapped_column(String(60))
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    compiled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    compiled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reports: Mapped[list[DivisionReport]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )


class DivisionReport(Model):
    """One division's report in a round: its text per section and the figures filled in."""

    __tablename__ = "division_reports"
    __table_args__ = (
        UniqueConstraint("round_id", "division_id"),
        CheckConstraint("status IN ('draft', 'submitted', 'returned')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("reporting_rounds.id", ondelete="CASCADE"))
    division_id: Mapped[int] = mapped_column(ForeignKey("divisions.id"), index=True)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    return_reason: Mapped[str | None] = mapped_column(Text)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The calendar date of the last reminder: at most one a day per division.
    last_reminded_on: Mapped[date | None] = mapped_column(Date)

    round: Mapped[ReportingRound] = relationship(back_populates="reports")
    division: Mapped[Division] = relationship()
