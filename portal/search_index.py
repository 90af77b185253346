"""Full-text search over cases' folded text: FTS5 on SQLite, a tsvector index on PostgreSQL.

The index lives outside the models (a virtual table and triggers on SQLite, an expression
index on PostgreSQL), created by migration 0011; `matches` builds the condition the queue
uses. Both look for whole words by prefix, so "cot dien" finds "Cột điện đổ".
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from portal.models import Case

# Names the schema comparison must not count as drift (see migrations/env.py).
OBJECTS = frozenset({"cases_fts", "ix_cases_search_tsv"})
_WORD = re.compile(r"[a-z0-9]+")
# Above this many matches a search is "common" on SQLite and planned differently (`matches`).
COMMON = 2_000


def _words(terms: list[str]) -> list[str]:
    words: list[str] = []
    for term in terms:
        words += _WORD.findall(term)
    return words[:8]


def matches(session: Session, terms: list[str]) -> ColumnElement[bool] | None:
    """A condition on Case for these folded search terms (None when there is nothing)."""
    words = _words(terms)
    if not words:
        return None
    if session.get_bind().dialect.name == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        return func.to_tsvector("simple", Case.search_text).op("@@")(
            func.to_tsquery("simple", query)
        )
    expression = " ".join(f'"{word}"*' for word in words)
    match = text("cases_fts MATCH :expression").bindparams(expression=expression)
    fts = select(text("rowid")).select_from(text("cases_fts")).where(match)
    found = session.scalar(
        select(func.count()).select_from(
            select(text("1")).select_from(text("cases_fts")).where(match).limit(COMMON).subquery()
        )
    )
    if found is not None and found >= COMMON:
        # A common word: let SQLite walk the list's own index (deadline or date order) and
        # check each row against the matches, instead of fetching every match and sorting
        # them all. "id + 0" keeps the planner from driving the query by the matches' ids.
        return (Case.id + 0).in_(fts.scalar_subquery())
    return Case.id.in_(fts.scalar_subquery())


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic filter: leave the search index's own objects out of the model comparison."""
    if name is None:
        return True
    return not any(name == item or name.startswith(f"{item}_") for item in OBJECTS)
