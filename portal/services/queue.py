"""The officials' queue: filters, accent-insensitive search, nearest deadline first, then
the open cases without a running clock (none vanishes), and search by case number.

The home page's counts (`Dashboard`, `dashboard`) live in `queue_dashboard` and are
importable from here as before."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import ColumnElement, FromClause, Select, and_, func, or_, select, text
from sqlalchemy.orm import Session, joinedload, load_only

from portal.domain.calendar import WorkingCalendar
from portal.domain.permissions import CaseScope
from portal.domain.search import fold, terms
from portal.domain.tracking import CaseReference, parse_case_reference
from portal.models import Case, OpenCaseTally, User
from portal.models.cases import OPEN_WITHOUT_CLOCK
from portal.models.search_index import Match, matches, walked
from portal.services import queue_export
from portal.services.case_access import visible_cases, visible_tallies
from portal.services.queue_dashboard import Dashboard as Dashboard
from portal.services.queue_dashboard import dashboard as dashboard
from portal.services.queue_export import ExportedCase as ExportedCase
from portal.services.queue_export import streamed as _streamed
from portal.services.queue_filters import Filters as Filters
from portal.services.queue_filters import filter_conditions as _filter_conditions


@dataclass(frozen=True)
class Row:
    case: Case
    next_due: date | None


# What a row of the list shows (admin/cases.html) and its cursor needs: the rest of a case
# (its content, sealed identity) is not read for a list, and reading it by mistake raises.
LIST_COLUMNS = load_only(
    Case.id,
    Case.year,
    Case.sequence,
    Case.kind,
    Case.subject,
    Case.pseudonym,
    Case.submitter_name,
    Case.status,
    Case.next_due_on,
    Case.received_on,
    Case.assignee_id,
    raiseload=True,
)
# ... and the assignee's name, joined in the same query, nothing else of the official (not
# their roles either, which loading a user would otherwise fetch: a query more).
ASSIGNEE_NAME = (
    joinedload(Case.assignee).load_only(User.name, raiseload=True).lazyload(User.role_rows)
)

# Counts not read from the tallies (a text search, a status, a statistics figure's list) stop
# past this and show as "more than 500": counting every match of a common word among a
# million cases costs more than the page itself, and exact figures are the statistics' job.
COUNT_CAP = 500


@dataclass(frozen=True)
class Result:
    rows: list[Row]
    total: int  # counted row by row, COUNT_CAP + 1 means "more than COUNT_CAP"; overdue and
    overdue: int  # due_soon are then counted among those first rows only, so not shown
    due_soon: int
    next_after: str | None  # keyset cursor of the next page, None on the last page
    exact: bool = False  # read from the tallies: exact whatever the total

    @property
    def capped(self) -> bool:
        return not self.exact and self.total > COUNT_CAP


def _filtered(
    session: Session,
    filters: Filters,
    scope: CaseScope,
    today: date,
    soon: date,
    *,
    unclocked: bool = False,
) -> tuple[Select[tuple[Case]], Match | None]:
    """The list's query without the text search, and the search's conditions if any. Only
    the cases `scope` admits are ever in it. `unclocked`: the working queue's second part,
    the open cases without a running clock, instead of the cases with one."""
    query = select(Case).where(visible_cases(scope))
    number = _number(filters)
    if number is not None:
        # A case number finds that case whatever its status or clock.
        query = query.where(Case.sequence == number.sequence)
        if number.year is not None:
            query = query.where(Case.year == number.year)
        return query.where(*_filter_conditions(filters)), None
    query = query.where(*_filter_conditions(filters))
    if filters.due == "overdue":
        query = query.where(Case.next_due_on < today)
    elif filters.due == "due_soon":
        query = query.where(and_(Case.next_due_on >= today, Case.next_due_on <= soon))
    elif unclocked:
        # The very text of the partial indexes' condition (migration 0021), so both
        # databases can take them.
        query = query.where(text(OPEN_WITHOUT_CLOCK))
        return query, matches(session, terms(filters.text), few=True)
    elif _open_only(filters):
        # The working queue: cases with a running clock, nearest deadline first.
        query = query.where(Case.next_due_on.is_not(None))
    return query, matches(session, terms(filters.text), open_only=_open_only(filters))


def _number(filters: Filters) -> CaseReference | None:
    """The case number the search box holds, if it holds one."""
    return parse_case_reference(filters.text) if filters.text else None


def _with_unclocked(filters: Filters) -> bool:
    """True when the list goes on, after the cases with a running clock, with the open cases
    that have none (the working queue and "my cases": no open case vanishes from them)."""
    return _open_only(filters) and filters.due not in ("overdue", "due_soon")


def _counts(
    session: Session,
    source: FromClause,
    due: ColumnElement[date],
    today: date,
    soon: date,
    weight: ColumnElement[int] | None = None,
) -> tuple[int, int, int]:
    """Total, overdue and due-soon rows of `source` by their nearest deadline `due`; with a
    `weight` column, each row counts for that many cases (the tallies)."""
    amount = func.count() if weight is None else func.sum(weight)
    total, overdue, due_soon = session.execute(
        select(
            amount, amount.filter(due < today), amount.filter(and_(due >= today, due <= soon))
        ).select_from(source)
    ).one()
    return total or 0, overdue or 0, due_soon or 0


def _open_only(filters: Filters) -> bool:
    """True when the list is the working queue: the cases with a running clock (then, unless
    it asks for overdue or due-soon ones, the open cases without one)."""
    if _number(filters) is not None:
        return False
    if filters.due in ("open", "overdue", "due_soon"):
        return True
    return not filters.status and not filters.unassigned and not filters.narrowed


def _tallied_counts(
    session: Session, filters: Filters, scope: CaseScope, today: date, soon: date
) -> tuple[int, int, int] | None:
    """The counts from the open-case tallies when the list is open cases narrowed only by
    division, assignee and due state (the working queue, "my cases"); else None."""
    if (
        not _open_only(filters)
        or terms(filters.text)
        or filters.kind
        or filters.status
        or filters.narrowed
    ):
        return None
    query = select(OpenCaseTally).where(visible_tallies(scope))
    if filters.assignee_id:
        query = query.where(OpenCaseTally.assignee_id == filters.assignee_id)
    if filters.unassigned:
        query = query.where(OpenCaseTally.assignee_id == 0)
    if filters.division_id:
        query = query.where(OpenCaseTally.division_id == filters.division_id)
    due = OpenCaseTally.next_due_on
    if filters.due == "overdue":
        query = query.where(due < today)
    elif filters.due == "due_soon":
        query = query.where(and_(due >= today, due <= soon))
    tallies = query.subquery()
    return _counts(session, tallies, tallies.c.next_due_on, today, soon, tallies.c.cases)


def _parse_cursor(after: str | None) -> tuple[date | None, int] | None:
    """A keyset cursor "YYYY-MM-DD_ID" ("-_ID" among the open cases without a clock): the
    page goes on after that row, so a deep page costs what the first one does."""
    if not after or "_" not in after:
        return None
    day, _, ident = after.partition("_")
    try:
        return (None if day == "-" else date.fromisoformat(day)), int(ident)
    except ValueError:
        return None


def _working_queue(filters: Filters) -> bool:
    if _number(filters) is not None:
        return False
    if filters.due in ("open", "overdue", "due_soon"):
        return True
    return not filters.status and not filters.narrowed


def search(
    session: Session,
    filters: Filters,
    *,
    scope: CaseScope,
    today: date,
    calendar: WorkingCalendar,
    soon_working_days: int,
    after: str | None = None,
    per_page: int = 50,
) -> Result:
    soon = calendar.add_working_days(today, soon_working_days)
    query, found = _filtered(session, filters, scope, today, soon)
    due_column = Case.next_due_on

    counts = _tallied_counts(session, filters, scope, today, soon)
    exact = counts is not None
    if counts is None:
        # One pass over the matching rows, stopped past COUNT_CAP: a search for a common word
        # at a million cases would otherwise count a hundred thousand matches three times,
        # and the cost of a capped count does not grow with the matches.
        # The filter's own columns only, so PostgreSQL can answer from the
        # (next_due_on, assignee_id, division_id) index without visiting the table.
        counts = _counted(session, query, found, today, soon)
        if found is not None and found.whole_words is not None and counts[0] <= COUNT_CAP:
            found = replace(found, walk_page=False)  # a few open matches: sorted, not walked
    total, overdue, due_soon = counts
    unclocked = None
    if _with_unclocked(filters):
        unclocked, unclocked_found = _filtered(session, filters, scope, today, soon, unclocked=True)
        if unclocked_found is not None:
            unclocked = unclocked.where(unclocked_found.by_id)
        total += _counted(session, unclocked, None, today, soon)[0]
    working = _working_queue(filters)
    cursor = _parse_cursor(after)
    rows: list[Case] = []
    if working:
        if cursor is None or cursor[0] is not None:
            ordered = query
            if cursor and cursor[0] is not None:
                ordered = ordered.where(
                    or_(due_column > cursor[0], and_(due_column == cursor[0], Case.id > cursor[1]))
                )
            rows = _page(session, ordered, found, True, per_page + 1)
        if unclocked is not None and len(rows) <= per_page:
            # Then the open cases without a running clock, oldest first (their NULL
            # next_due_on sorts last), walked through their own partial index.
            rest = unclocked.order_by(Case.id)
            if cursor and cursor[0] is None:
                rest = rest.where(Case.id > cursor[1])
            limit = per_page + 1 - len(rows)
            rows += session.scalars(rest.options(LIST_COLUMNS, ASSIGNEE_NAME).limit(limit))
    else:
        ordered = query
        if cursor and cursor[0] is not None:
            ordered = ordered.where(
                or_(
                    Case.received_on < cursor[0],
                    and_(Case.received_on == cursor[0], Case.id < cursor[1]),
                )
            )
        rows = _page(session, ordered, found, False, per_page + 1)
    more = len(rows) > per_page
    rows = rows[:per_page]
    next_after = None
    if more and rows:
        last = rows[-1]
        key = last.next_due_on if working else last.received_on
        next_after = f"{key.isoformat() if key else '-'}_{last.id}"
    return Result(
        rows=[Row(case=case, next_due=case.next_due_on) for case in rows],
        total=total,
        overdue=overdue,
        due_soon=due_soon,
        next_after=next_after,
        exact=exact,
    )


def _page(
    session: Session, query: Select[tuple[Case]], found: Match | None, working: bool, limit: int
) -> list[Case]:
    """The first `limit` cases of `query` that match the search, in the list's order: nearest
    deadline first in the working queue, newest first otherwise."""
    first = Case.next_due_on if working else Case.received_on
    by = (first, Case.id) if working else (first.desc(), Case.id.desc())
    if found is None or not found.walk_page:
        if found is not None:
            query = query.where(found.in_list_order)
        return list(
            session.scalars(query.order_by(*by).options(LIST_COLUMNS, ASSIGNEE_NAME).limit(limit))
        )
    # PostgreSQL, a common word: walk the list's index, keep the rows that hit, then read them.
    # No ORDER BY outside: the rows come in the walk's order, and an outer sort would make
    # PostgreSQL plan the walk for every row (sorting them all) instead of the first few.
    walk = walked(query.order_by(*by), found.in_list_order, Case.id)
    ids = list(session.scalars(select(walk.c.id).where(walk.c.hit).limit(limit)))
    read = select(Case).where(Case.id.in_(ids)).options(LIST_COLUMNS, ASSIGNEE_NAME)
    cases = {case.id: case for case in session.scalars(read)}
    return [cases[ident] for ident in ids]


def _counted(
    session: Session, query: Select[tuple[Case]], found: Match | None, today: date, soon: date
) -> tuple[int, int, int]:
    """Total, overdue and due-soon cases of the list's `query`, counted up to COUNT_CAP + 1."""
    if found is not None and found.whole_words is not None:
        whole = _counted(session, query, found.whole_words, today, soon)
        if whole[0] > COUNT_CAP:  # past the cap by the whole words alone
            return whole
    if found is not None and found.walk_count:
        walk = walked(query.order_by(None), found.by_id, Case.next_due_on)
        matching = select(walk.c.next_due_on).where(walk.c.hit).limit(COUNT_CAP + 1).subquery()
        return _counts(session, matching, matching.c.next_due_on, today, soon)
    rows = query.with_only_columns(Case.next_due_on, maintain_column_froms=True).order_by(None)
    if found is not None and found.counted_from is not None and found.counted_where is not None:
        rows = rows.select_from(found.counted_from).where(found.counted_where)
    elif found is not None:
        rows = rows.where(found.by_id)
    matching = rows.limit(COUNT_CAP + 1).subquery()
    return _counts(session, matching, matching.c.next_due_on, today, soon)


def matching_ids(session: Session, filters: Filters, *, scope: CaseScope) -> list[int] | None:
    """When the search box holds a case number: the ids of the cases `scope` admits with that
    number (at most two: one is enough to go straight to it, two make a list); else None."""
    number = _number(filters)
    if number is None:
        return None
    query = select(Case.id).where(visible_cases(scope), Case.sequence == number.sequence)
    if number.year is not None:
        query = query.where(Case.year == number.year)
    return list(session.scalars(query.where(*_filter_conditions(filters)).limit(2)))


def similar_cases(session: Session, case: Case, *, scope: CaseScope, limit: int = 5) -> list[Case]:
    """Other cases that may be the same matter (same contact, or the same subject), among
    those `scope` admits."""
    conditions = [Case.search_text.startswith(fold(case.subject), autoescape=True)]
    if case.submitter_phone and not case.confidential:
        conditions.append(Case.submitter_phone == case.submitter_phone)
    if case.contact_email_hash:
        conditions.append(Case.contact_email_hash == case.contact_email_hash)
    return list(
        session.scalars(
            select(Case)
            .where(Case.id != case.id, or_(*conditions), visible_cases(scope))
            .order_by(Case.received_on.desc(), Case.id.desc())
            .limit(limit)
        )
    )


def all_matching(
    session: Session,
    filters: Filters,
    *,
    scope: CaseScope,
    today: date,
    calendar: WorkingCalendar,
    soon_working_days: int,
    limit: int | None = None,
    batch: int | None = None,
) -> Generator[ExportedCase, None, None]:
    """Every case the list shows (for an export), in the list's order, at most `limit`.

    A generator: the cases are read `batch` at a time (a server-side cursor on PostgreSQL),
    so an export of any length holds one batch in memory, not the list (EXPORT_BATCH cases
    unless `batch` says). Consume it before the request's read ends (and before writing)."""
    batch = batch or queue_export.EXPORT_BATCH
    soon = calendar.add_working_days(today, soon_working_days)
    query, found = _filtered(session, filters, scope, today, soon)
    if found is not None:
        query = query.where(found.in_list_order)
    if not _working_queue(filters):
        query = query.order_by(Case.received_on.desc(), Case.id.desc())
        yield from _streamed(session, query, limit, batch)
        return
    query = query.order_by(Case.next_due_on, Case.id)
    count = 0
    for case in _streamed(session, query, limit, batch):
        count += 1
        yield case
    if _with_unclocked(filters) and (limit is None or count < limit):
        rest, rest_found = _filtered(session, filters, scope, today, soon, unclocked=True)
        if rest_found is not None:
            rest = rest.where(rest_found.by_id)
        left = None if limit is None else limit - count
        yield from _streamed(session, rest.order_by(Case.id), left, batch)
