"""Citizens' submissions (cases), their legal clocks, timeline and attachments."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain import limits
from portal.extensions import Model
from portal.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.accounts import User

# The open cases without a running clock, as the partial index states it: the queue uses this
# very text, as a database only takes a partial index for a query that repeats its condition.
OPEN_WITHOUT_CLOCK = (
    "next_due_on IS NULL AND status IN ('received', 'accepted', 'in_progress', 'suspended')"
)


class Case(Model):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("year", "sequence"),
        CheckConstraint(
            "kind IN ('complaint', 'denunciation', 'petition', 'reflection')", name="kind"
        ),
        Index("ix_cases_status_received", "status", "received_on"),
        Index("ix_cases_division_status", "division_id", "status"),
        Index("ix_cases_next_due", "next_due_on"),
        Index("ix_cases_received_on", "received_on"),
        Index("ix_cases_next_due_assignee", "next_due_on", "assignee_id", "division_id"),
        # Statistics (services/statistics.py): covering indexes, see migration 0014.
        Index(
            "ix_cases_statistics",
            "kind",
            "channel",
            "status",
            "field",
            "satisfaction_rating",
            "outcome_ground",
            "received_on",
            "division_id",
        ),
        Index(
            "ix_cases_received_figures",
            "received_on",
            "status",
            "next_due_on",
            "satisfaction_rating",
            "division_id",
        ),
        Index("ix_cases_answered", "answered_on", "received_on", "division_id", "status"),
        # The open cases without a running clock, listed after the others (migration 0021):
        # two small partial indexes, one for each planner.
        Index(
            "ix_cases_open_without_clock",
            "id",
            postgresql_where=text(OPEN_WITHOUT_CLOCK),
            sqlite_where=text(OPEN_WITHOUT_CLOCK),
        ),
        Index(
            "ix_cases_open_without_clock_status",
            "status",
            "id",
            postgresql_where=text(OPEN_WITHOUT_CLOCK),
            sqlite_where=text(OPEN_WITHOUT_CLOCK),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    sequence: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    source_body: Mapped[str | None] = mapped_column(String(limits.SOURCE_BODY_MAX))
    received_on: Mapped[date] = mapped_column(Date)
    signed_letter_on: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    subject: Mapped[str] = mapped_column(String(limits.SUBJECT_COLUMN))
    content: Mapped[str] = mapped_column(Text)
    respondent: Mapped[str | None] = mapped_column(String(limits.RESPONDENT_MAX))
    requested_outcome: Mapped[str | None] = mapped_column(Text)
    contested_decision: Mapped[str | None] = mapped_column(Text)
    decision_known_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(limits.LOCATION_MAX))
    field: Mapped[str | None] = mapped_column(String(limits.FIELD_MAX))
    # Submitter. For confidential cases these stay empty and the identity is kept only in
    # identity_ciphertext, encrypted to the custodian key (submissions issue).
    submitter_name: Mapped[str | None] = mapped_column(String(limits.NAME_MAX))
    submitter_id_number: Mapped[str | None] = mapped_column(String(limits.CITIZEN_ID_LENGTH))
    submitter_phone: Mapped[str | None] = mapped_column(String(limits.PHONE_MAX))
    submitter_email: Mapped[str | None] = mapped_column(String(limits.EMAIL_MAX))
    submitter_address: Mapped[str | None] = mapped_column(String(limits.ADDRESS_MAX))
    submitter_province: Mapped[str | None] = mapped_column(String(limits.PROVINCE_MAX))
    submitter_commune: Mapped[str | None] = mapped_column(String(limits.COMMUNE_MAX))
    submitter_organisation: Mapped[str | None] = mapped_column(String(limits.ORGANISATION_MAX))
    people_count: Mapped[int] = mapped_column(default=1)
    representative: Mapped[str | None] = mapped_column(String(limits.REPRESENTATIVE_MAX))
    confidential: Mapped[bool] = mapped_column(default=False)
    identity_withheld: Mapped[bool] = mapped_column(default=False)
    # Keyed hash of the e-mail given, so a lost code can be reissued to that address even
    # when the address itself is only kept encrypted.
    contact_email_hash: Mapped[str | None] = mapped_column(String(64))
    pseudonym: Mapped[str | None] = mapped_column(String(40))
    identity_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    consent_version: Mapped[str | None] = mapped_column(String(20))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="received")
    complexity: Mapped[str] = mapped_column(String(20), default="normal")
    remote_area: Mapped[bool] = mapped_column(default=False)
    round: Mapped[int] = mapped_column(default=1)
    first_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    division_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    public_answer: Mapped[str | None] = mapped_column(Text)
    draft_answer: Mapped[str | None] = mapped_column(Text)
    draft_answer_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome_ground: Mapped[str | None] = mapped_column(String(60))
    forwarded_to: Mapped[str | None] = mapped_column(String(300))
    answered_on: Mapped[date | None] = mapped_column(Date)
    # The nearest open deadline, kept by the services so the queue can sort and filter on an
    # index instead of grouping the deadlines table on every page.
    next_due_on: Mapped[date | None] = mapped_column(Date)
    # The local day of the latest event that ended the case without an answer (guided,
    # forwarded, not accepted, filed, withdrawn): kept by a trigger on case_events (0022).
    ended_on: Mapped[date | None] = mapped_column(Date)
    # Folded (no accents, lower case) subject, content and, unless confidential, names.
    search_text: Mapped[str] = mapped_column(Text, default="")
    satisfaction_rating: Mapped[int | None]
    satisfaction_comment: Mapped[str | None] = mapped_column(Text)
    access_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # A new code asked for by e-mail: the old one keeps working until this one is first used.
    pending_access_code_hash: Mapped[str | None] = mapped_column(
        String(64), unique=True, index=True
    )
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.at"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    # Who handles it (the queue shows the name); changed through assignee_id only.
    assignee: Mapped[User | None] = relationship("User", foreign_keys=[assignee_id], viewonly=True)

    def refresh_next_due(self) -> None:
        open_dates = [d.due_on for d in self.deadlines if d.met_on is None]
        self.next_due_on = min(open_dates) if open_dates else None

    @property
    def number(self) -> str:
        """The register number officials write on notices, e.g. 2026/0123."""
        return f"{self.year}/{self.sequence:04d}"


class OpenCaseTally(Model):
    """How many cases with a running clock share a nearest deadline, division and assignee.

    Kept by database triggers on `cases` (migration 0015), never written by the app, so every
    write path keeps it true. The queue's counts and the dashboard read these few hundred
    rows instead of counting every open case. 0 stands for "no division" and "no assignee",
    so the key has no NULLs. A migration that rebuilds `cases` (batch mode on SQLite) must
    create the triggers again.
    """

    __tablename__ = "open_case_tallies"

    next_due_on: Mapped[date] = mapped_column(Date, primary_key=True)
    division_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    assignee_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    cases: Mapped[int]


class CaseTally(Model):
    """How many cases count in one figure of the statistics on one day, in one division.

    Kept by database triggers on `cases`, `deadlines` and `case_events` (migration 0022),
    never written by the app; the statistics read these rows instead of counting a year of
    cases. `dimension` names the figure and `value` what is counted in it (see the migration
    and services/statistics/tallies.py); 0 stands for "no division". A migration that
    rebuilds `cases` (batch mode on SQLite) must create the triggers again.
    """

    __tablename__ = "case_tallies"

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    division_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[str] = mapped_column(String(120), primary_key=True)
    cases: Mapped[int]


class Deadline(Model):
    """One legal clock of a case. Its inputs are kept so it can be recomputed."""

    __tablename__ = "deadlines"
    __table_args__ = (
        Index("ix_deadlines_open_due", "met_on", "due_on"),
        Index("ix_deadlines_met", "met_on", "stopped_reason", "due_on", "rule_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    data_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("data_requests.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[str] = mapped_column(String(60))
    legal_basis: Mapped[str] = mapped_column(String(300))
    started_on: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    complex: Mapped[bool] = mapped_column(default=False)
    very_complex: Mapped[bool] = mapped_column(default=False)
    remote: Mapped[bool] = mapped_column(default=False)
    multi_place: Mapped[bool] = mapped_column(default=False)
    extensions: Mapped[int] = mapped_column(default=0)
    paused_days: Mapped[int] = mapped_column(default=0)
    paused_since: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    met_on: Mapped[date | None] = mapped_column(Date)
    # Why the clock stopped when it was not met by doing the work (withdrawn, filed, ...).
    stopped_reason: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case | None] = relationship(back_populates="deadlines")


class CaseEvent(Model):
    """Append-only timeline of a case; written by the workflow service only."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    visible_to_citizen: Mapped[bool] = mapped_column(default=False)

    case: Mapped[Case] = relationship(back_populates="events")


class Attachment(Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str | None] = mapped_column(String(255))
    original_name_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    extension: Mapped[str] = mapped_column(String(5))
    uploaded_by: Mapped[str] = mapped_column(String(10), default="citizen")
    visible_to_citizen: Mapped[bool] = mapped_column(default=False)
    # Files uploaded with a form that came back with errors wait here, tied to the form.
    draft_token_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case | None] = relationship(back_populates="attachments")


class ReceptionVisit(Model):
    """A citizen received in person: a line of the citizen-reception register (Sổ tiếp công
    dân, Mẫu số 03, Circular 04/2021/TT-TTCP); the rest of the line comes from the case."""

    __tablename__ = "reception_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[date] = mapped_column(Date, index=True)
    reception_kind: Mapped[str] = mapped_column(String(20), default="regular")
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    previously_resolved_by: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()


class DataRequest(Model):
    """A request about personal data (Law 91/2025, Decree 356/2025): access, correction,
    deletion, restriction, objection, withdrawal of consent; tracked on legal deadlines."""

    __tablename__ = "data_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_type: Mapped[str] = mapped_column(String(30))
    received_on: Mapped[date] = mapped_column(Date)
    requester_name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(254))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    details: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deadlines: Mapped[list[Deadline]] = relationship(
        primaryjoin="DataRequest.id == foreign(Deadline.data_request_id)",
        cascade="all, delete-orphan",
    )
