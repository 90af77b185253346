"""Full-text search over cases' folded text: FTS5 on SQLite, a tsvector index on PostgreSQL.

The indexes live outside the models (virtual tables and triggers on SQLite; on PostgreSQL a
stored tsvector column, cases.search_vector, and GIN indexes on it), created by migrations
0011 (every case), 0016 (open cases only, for the working queue) and 0022 (the stored
column); `matches` builds the conditions the queue uses. Both look for whole words by
prefix, so "cot dien" finds "Cột điện đổ".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, literal_column, select, text
from sqlalchemy.orm import Session

from portal.models import Case

# Names the schema comparison must not count as drift (see migrations/env.py).
OBJECTS = frozenset(
    {
        "cases_fts",
        "ix_cases_search_tsv",
        "open_cases_fts",
        "ix_cases_open_search_tsv",
        "ix_cases_open_id_due",
        "search_vector",
        "ix_cases_search_vector",
        "ix_cases_open_search_vector",
    }
)
# cases.search_vector on PostgreSQL (migration 0022), generated from search_text.
SEARCH_VECTOR = literal_column("cases.search_vector")
_WORD = re.compile(r"[a-z0-9]+")
# Above this many matches a search is "common" on SQLite and planned differently (`matches`).
COMMON = 2_000


@dataclass(frozen=True)
class Match:
    """The search as two equivalent conditions on Case, for the two questions a list asks.

    `by_id` lets the database start from the matches (how many, and how many are overdue);
    `in_list_order` lets it walk the list's own index and check each row, which is how the
    first page of a common word is found without sorting every match.
    """

    by_id: ColumnElement[bool]
    in_list_order: ColumnElement[bool]


def _words(terms: list[str]) -> list[str]:
    words: list[str] = []
    for term in terms:
        words += _WORD.findall(term)
    return words[:8]


def matches(session: Session, terms: list[str], *, open_only: bool = False) -> Match | None:
    """The conditions on Case for these folded search terms (None when there is nothing).

    `open_only`: the list holds only cases with a running clock, so the open cases' own index
    answers (migration 0016). On PostgreSQL the planner picks that partial index by itself.
    """
    words = _words(terms)
    if not words:
        return None
    if session.get_bind().dialect.name == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        # The stored column (migration 0022), not the expression: reading it is what makes
        # checking a row cheap when the list's own index is walked.
        condition = SEARCH_VECTOR.op("@@")(func.to_tsquery("simple", query))
        return Match(condition, condition)
    table = "open_cases_fts" if open_only else "cases_fts"
    expression = " ".join(f'"{word}"*' for word in words)
    match = text(f"{table} MATCH :expression").bindparams(expression=expression)
    fts = select(text("rowid")).select_from(text(table)).where(match).scalar_subquery()
    found = session.scalar(
        select(func.count()).select_from(
            select(text("1")).select_from(text(table)).where(match).limit(COMMON).subquery()
        )
    )
    by_id = Case.id.in_(fts)
    if found is None or found < COMMON:
        return Match(by_id, by_id)
    # A common word: let SQLite walk the list's own index (deadline or date order) and check
    # each row against the matches, instead of fetching every match and sorting them all.
    # "id + 0" keeps the planner from driving the query by the matches' ids.
    walk = (Case.id + 0).in_(fts)
    # Among open cases the matches are counted through the small covering index of open
    # cases (id, next_due_on); among all cases, walking is cheaper for the count as well.
    return Match(by_id if open_only else walk, walk)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic filter: leave the search index's own objects out of the model comparison."""
    if name is None:
        return True
    return not any(name == item or name.startswith(f"{item}_") for item in OBJECTS)
