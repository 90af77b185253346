"""Which cases a viewer sees, as SQL: the one place the rule of
`portal.domain.permissions.case_scope` becomes a query condition.

Every list of cases shown to officials or to an API token (the queue, its text search, its
counts and export, the dashboard, similar cases, the API's list) adds `visible_cases(scope)`;
the counts read from the open-case tallies add `visible_tallies(scope)`; a single case, an
attachment or a notice is fetched with `visible_case` / `visible_attachment`, which answer
None for a case the viewer may not see (the web layer turns that into 404).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from portal.domain.permissions import CaseScope
from portal.models import Attachment, Case, OpenCaseTally

# A case's or a tally's division and assignee column (the tallies' are not nullable).
_IdColumn = InstrumentedAttribute[int | None] | InstrumentedAttribute[int]


def _condition(scope: CaseScope, division: _IdColumn, assignee: _IdColumn) -> ColumnElement[bool]:
    if scope.every_case:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if scope.division_id is not None:
        conditions.append(division == scope.division_id)
    if scope.assignee_id is not None:
        conditions.append(assignee == scope.assignee_id)
    return or_(*conditions) if conditions else false()


def visible_cases(scope: CaseScope) -> ColumnElement[bool]:
    """The condition on `Case` that keeps the cases `scope` admits."""
    return _condition(scope, Case.division_id, Case.assignee_id)


def visible_tallies(scope: CaseScope) -> ColumnElement[bool]:
    """The same condition on the open-case tallies (where 0 stands for "none": no division
    or user has id 0, so a scope never admits those rows by that key)."""
    return _condition(scope, OpenCaseTally.division_id, OpenCaseTally.assignee_id)


# Ids past a 32-bit integer exist in no table; PostgreSQL would refuse to compare them.
MAX_ID = 2**31 - 1


def visible_case(session: Session, scope: CaseScope, case_id: int) -> Case | None:
    """The case, or None when it does not exist or the scope does not admit it."""
    case = session.get(Case, case_id) if 0 < case_id <= MAX_ID else None
    if case is None or not scope.admits(case.assignee_id, case.division_id):
        return None
    return case


def visible_attachment(session: Session, scope: CaseScope, attachment_id: int) -> Attachment | None:
    """A case's attachment, or None when it is not a case's (a draft upload), does not exist,
    or its case is not admitted by the scope."""
    row = session.get(Attachment, attachment_id) if 0 < attachment_id <= MAX_ID else None
    if row is None or row.case_id is None:
        return None
    if visible_case(session, scope, row.case_id) is None:
        return None
    return row
