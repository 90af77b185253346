"""The officials' queue: filters, accent-insensitive search, nearest deadline first.

The home page's counts (`Dashboard`, `dashboard`) live in `queue_dashboard` and are
importable from here as before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, FromClause, Select, and_, func, or_, select
from sqlalchemy.orm import Session, load_only, selectinload

from portal.domain.calendar import WorkingCalendar
from portal.domain.permissions import CaseScope
from portal.domain.search import fold, terms
from portal.models import Case, OpenCaseTally, User
from portal.models.search_index import Match, matches
from portal.services.case_access import visible_cases, visible_tallies
from portal.services.queue_dashboard import Dashboard as Dashboard
from portal.services.queue_dashboard import dashboard as dashboard


@dataclass(frozen=True)
class Filters:
    text: str = ""
    kind: str | None = None
    status: str | None = None
    due: str | None = None  # overdue | due_soon | open
    assignee_id: int | None = None
    division_id: int | None = None
    unassigned: bool = False
    # What a statistics figure puts on the list (see services/statistics/ for the meaning).
    received_from: date | None = None
    received_to: date | None = None
    channel: str | None = None
    field: str | None = None  # "-" for cases without a field
    statuses: tuple[str, ...] = ()
    competence: str | None = None  # within | outside
    open_on: date | None = None  # carried over into a period starting that day
    answered_from: date | None = None
    answered_to: date | None = None
    met_from: date | None = None  # with met_to: a deadline met (not stopped) in those days
    met_to: date | None = None
    met: str | None = None  # any | on_time | late
    rule_id: str | None = None
    rating: int | None = None  # 1-5, or 0 for any rating given

    @property
    def narrowed(self) -> bool:
        """True when a statistics filter is set: then the list is not the working queue."""
        return bool(
            self.received_from
            or self.received_to
            or self.channel
            or self.field
            or self.statuses
            or self.competence
            or self.open_on
            or self.answered_from
            or self.answered_to
            or (self.met_from and self.met_to)
            or self.rating is not None
        )


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
# ... and the assignee's name, nothing else of the official.
ASSIGNEE_NAME = selectinload(Case.assignee).load_only(User.name, raiseload=True)

# What a row of the .xlsx export of a list holds (admin/case_views.py cases_xlsx).
EXPORT_COLUMNS = load_only(
    Case.id,
    Case.year,
    Case.sequence,
    Case.received_on,
    Case.kind,
    Case.channel,
    Case.field,
    Case.subject,
    Case.pseudonym,
    Case.confidential,
    Case.submitter_name,
    Case.division_id,
    Case.status,
    Case.next_due_on,
    Case.answered_on,
    Case.satisfaction_rating,
    raiseload=True,
)

# Counts above this show as "more than COUNT_CAP": exact figures are the statistics' job.
COUNT_CAP = 10_000


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
    session: Session, filters: Filters, scope: CaseScope, today: date, soon: date
) -> tuple[Select[tuple[Case]], Match | None]:
    """The list's query without the text search, and the search's conditions if any. Only
    the cases `scope` admits are ever in it."""
    query = select(Case).where(visible_cases(scope))
    if filters.kind:
        query = query.where(Case.kind == filters.kind)
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.assignee_id:
        query = query.where(Case.assignee_id == filters.assignee_id)
    if filters.division_id:
        query = query.where(Case.division_id == filters.division_id)
    if filters.unassigned:
        query = query.where(Case.assignee_id.is_(None))
    query = query.where(*_statistics_conditions(filters))
    if filters.due == "overdue":
        query = query.where(Case.next_due_on < today)
    elif filters.due == "due_soon":
        query = query.where(and_(Case.next_due_on >= today, Case.next_due_on <= soon))
    elif _open_only(filters):
        # The working queue: cases with a running clock, nearest deadline first.
        query = query.where(Case.next_due_on.is_not(None))
    return query, matches(session, terms(filters.text), open_only=_open_only(filters))


def _statistics_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    from portal.services import statistics

    conditions = statistics.received_between(filters.received_from, filters.received_to)
    if filters.channel:
        conditions.append(Case.channel == filters.channel)
    if filters.field == "-":
        conditions.append(Case.field.is_(None))
    elif filters.field:
        conditions.append(Case.field == filters.field)
    if filters.statuses:
        conditions.append(Case.status.in_(filters.statuses))
    if filters.competence == "outside":
        conditions.append(statistics.outside_competence())
    elif filters.competence == "within":
        conditions.append(statistics.within_competence())
    if filters.open_on:
        conditions.append(statistics.open_on(filters.open_on))
    if filters.answered_from:
        conditions.append(Case.answered_on >= filters.answered_from)
    if filters.answered_to:
        conditions.append(Case.answered_on <= filters.answered_to)
    if filters.met_from and filters.met_to:
        on_time = {"on_time": True, "late": False}.get(filters.met or "")
        conditions.append(
            statistics.deadline_met_between(
                filters.met_from, filters.met_to, on_time=on_time, rule_id=filters.rule_id
            )
        )
    if filters.rating == 0:
        conditions.append(Case.satisfaction_rating.is_not(None))
    elif filters.rating:
        conditions.append(Case.satisfaction_rating == filters.rating)
    return conditions


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
    """True when the list holds only cases with a running clock."""
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


def _parse_cursor(after: str | None) -> tuple[date, int] | None:
    """A keyset cursor "YYYY-MM-DD_ID": the page goes on after that row, so a deep page
    costs what the first one does."""
    if not after or "_" not in after:
        return None
    day, _, ident = after.partition("_")
    try:
        return date.fromisoformat(day), int(ident)
    except ValueError:
        return None


def _working_queue(filters: Filters) -> bool:
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
        # at a million cases would otherwise count a hundred thousand matches three times.
        # The filter's own columns only, so PostgreSQL can answer from the
        # (next_due_on, assignee_id, division_id) index without visiting the table.
        matching = (
            (query if found is None else query.where(found.by_id))
            .with_only_columns(due_column, maintain_column_froms=True)
            .order_by(None)
            .limit(COUNT_CAP + 1)
            .subquery()
        )
        counts = _counts(session, matching, matching.c.next_due_on, today, soon)
    total, overdue, due_soon = counts
    if found is not None:
        query = query.where(found.in_list_order)
    working = _working_queue(filters)
    cursor = _parse_cursor(after)
    if working:
        ordered = query.order_by(due_column, Case.id)
        if cursor:
            ordered = ordered.where(
                or_(due_column > cursor[0], and_(due_column == cursor[0], Case.id > cursor[1]))
            )
    else:
        ordered = query.order_by(Case.received_on.desc(), Case.id.desc())
        if cursor:
            ordered = ordered.where(
                or_(
                    Case.received_on < cursor[0],
                    and_(Case.received_on == cursor[0], Case.id < cursor[1]),
                )
            )
    rows = session.scalars(ordered.options(LIST_COLUMNS, ASSIGNEE_NAME).limit(per_page + 1)).all()
    more = len(rows) > per_page
    rows = rows[:per_page]
    next_after = None
    if more and rows:
        last = rows[-1]
        key = last.next_due_on if working else last.received_on
        next_after = f"{key.isoformat()}_{last.id}" if key else None
    return Result(
        rows=[Row(case=case, next_due=case.next_due_on) for case in rows],
        total=total,
        overdue=overdue,
        due_soon=due_soon,
        next_after=next_after,
        exact=exact,
    )


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
    limit: int,
) -> list[Case]:
    """Every case the list shows (for an export), in the list's order, at most `limit`."""
    soon = calendar.add_working_days(today, soon_working_days)
    query, found = _filtered(session, filters, scope, today, soon)
    if found is not None:
        query = query.where(found.in_list_order)
    if _working_queue(filters):
        query = query.order_by(Case.next_due_on, Case.id)
    else:
        query = query.order_by(Case.received_on.desc(), Case.id.desc())
    return list(session.scalars(query.options(EXPORT_COLUMNS).limit(limit)))
