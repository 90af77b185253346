"""What the .xlsx export of a case list reads (services/queue.py all_matching): a few
columns of each case as plain rows, a batch at a time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from sqlalchemy import Select
from sqlalchemy.orm import Session

from portal.domain.tracking import format_case_number
from portal.models import Case


class ExportedCase(NamedTuple):
    """What the .xlsx export of a list holds of a case (admin/queue_views.py cases_xlsx):
    these columns only are read, as plain rows (no ORM objects: a fifth of the time), and
    nothing else of a case (its content, sealed identity) is there to be read by mistake."""

    id: int
    year: int
    sequence: int
    received_on: date
    kind: str
    channel: str
    field: str | None
    subject: str
    pseudonym: str | None
    confidential: bool
    submitter_name: str | None
    division_id: int | None
    status: str
    next_due_on: date | None
    answered_on: date | None
    satisfaction_rating: int | None

    @property
    def number(self) -> str:
        """As Case.number: 2026/0123."""
        return format_case_number(self.year, self.sequence)


EXPORT_FIELDS = tuple(getattr(Case, name) for name in ExportedCase._fields)

# An export reads the cases this many at a time (all_matching).
EXPORT_BATCH = 1000


def streamed(
    session: Session, query: Select[tuple[Case]], limit: int | None, batch: int
) -> Iterator[ExportedCase]:
    """The rows of `query` (a select of cases) as ExportedCase, `batch` at a time."""
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(
        query.with_only_columns(*EXPORT_FIELDS, maintain_column_froms=True).execution_options(
            yield_per=batch
        )
    )
    for row in rows:
        yield ExportedCase(*row)
