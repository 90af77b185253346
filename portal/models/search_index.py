"""Full-text search over cases' folded text: FTS5 on SQLite, a tsvector index on PostgreSQL.

The indexes live outside the models (virtual tables and triggers on SQLite; on PostgreSQL a
stored tsvector column, cases.search_vector, and GIN indexes on it), created by migrations
0011 (every case), 0016 (open cases only, for the working queue) and 0022 (the stored
column); `matches` builds the conditions the queue uses. Both look for whole words by
prefix, so "cot dien" finds "Cột điện đổ".
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    Subquery,
    and_,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from portal.domain.search import has_word_prefixes
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
SEARCH_VECTOR: ColumnElement[object] = literal_column("cases.search_vector")
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
    # PostgreSQL, a common word: the planner takes a prefix query to match 2% of the rows a
    # word (0.04% for two), so it would read every match from the GIN index and sort them.
    # The list then asks for the check as a column of its own ordered query (`walked`), for
    # the page and, unless among open cases (a small index), for the count.
    walk_page: bool = False
    walk_count: bool = False
    # SQLite, among open cases: the count's rows start from the open cases' FTS5 matches,
    # joined to cases (`counted_from`, the FROM clause, with `counted_where`), so FTS5 hands
    # them over one at a time and the count stops past its cap; `by_id` (an IN list) would
    # read every match first (3,387 for "cot dien" at a million cases: 1.2 ms, against 0.5).
    counted_from: FromClause | None = None
    counted_where: ColumnElement[bool] | TextClause | None = None
    # A common word among open cases: the same search for the whole words (no prefix), to
    # count first. Their matches are among the search's, so when more than the cap of them
    # is counted the list is past it; the index finds them without merging every word
    # that starts with each ("cot dien" among the open cases at a million: GIN 0.8 ms
    # against 2.3, FTS5 0.2 against 0.5). On PostgreSQL the list then walks its index for
    # the page only if its count is past the cap (`queue.search`).
    whole_words: Match | None = None


def _words(terms: list[str]) -> list[str]:
    words: list[str] = []
    for term in terms:
        words += _WORD.findall(term)
    return words[:8]


def matches(
    session: Session, terms: list[str], *, open_only: bool = False, few: bool = False
) -> Match | None:
    """The conditions on Case for these folded search terms (None when there is nothing).

    `open_only`: the list holds only cases with a running clock, so the open cases' own index
    answers (migration 0016). On PostgreSQL the planner picks that partial index by itself.
    `few`: the list holds a few cases at most (the open cases without a clock), each checked
    as it is read, whatever the index would say.
    """
    words = _words(terms)
    if not words:
        return None
    if session.get_bind().dialect.name == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        # The stored column (migration 0022), not the expression: reading it is what makes
        # checking a row cheap when the list's own index is walked.
        condition = SEARCH_VECTOR.op("@@")(func.to_tsquery("simple", query))
        if few or not _common_on_postgresql(session, words, query, sample=not open_only):
            return Match(condition, condition)
        if open_only:
            whole = SEARCH_VECTOR.op("@@")(func.to_tsquery("simple", " & ".join(words)))
            return Match(condition, condition, walk_page=True, whole_words=Match(whole, whole))
        return Match(condition, condition, walk_page=True, walk_count=True)
    if few:
        check = _row_check(session, words)
        return Match(check, check)
    name = "open_cases_fts" if open_only else "cases_fts"
    expression = " ".join(f'"{word}"*' for word in words)
    match = text(f"{name} MATCH :expression").bindparams(expression=expression)
    fts = select(text("rowid")).select_from(text(name)).where(match).scalar_subquery()
    by_id = Case.id.in_(fts)
    if open_only:
        index = table(name, column("rowid"))
        joined = index.join(Case, Case.id == index.c.rowid)
        if not _common(session, name, words):
            return Match(by_id, by_id, counted_from=joined, counted_where=match)
    elif not _common(session, name, words):
        return Match(by_id, by_id)
    # A common word: let SQLite walk the list's own index (deadline or date order) and check
    # each row, instead of fetching every match and sorting them all. Among open cases the
    # matches are counted through the small covering index of open cases (id, next_due_on)
    # and the walk checks them against the open matches ("id + 0" keeps the planner from
    # driving the query by their ids); among all cases (125,000 matches of "cot dien" at a
    # million) each row's text is checked instead, for the count (which stops past the
    # queue's cap) as for the page.
    if open_only:
        words_only = text(f"{name} MATCH :expression").bindparams(
            expression=" ".join(f'"{word}"' for word in words)
        )
        return Match(
            by_id,
            (Case.id + 0).in_(fts),
            counted_from=joined,
            counted_where=match,
            whole_words=Match(by_id, by_id, counted_from=joined, counted_where=words_only),
        )
    check = _row_check(session, words)
    return Match(check, check)


def _common(session: Session, table: str, words: list[str]) -> bool:
    """True when COMMON rows of the FTS5 `table` or more match. The whole words are asked
    first: their matches are among the prefixes' and come without merging every word that
    starts with them, which for "dien"* at a million cases costs 9 ms."""
    for expression in (
        " ".join(f'"{word}"' for word in words),
        " ".join(f'"{word}"*' for word in words),
    ):
        match = text(f"{table} MATCH :expression").bindparams(expression=expression)
        first = select(text("1")).select_from(text(table)).where(match).limit(COMMON)
        if (session.scalar(select(func.count()).select_from(first.subquery())) or 0) >= COMMON:
            return True
    return False


def _common_on_postgresql(
    session: Session, words: list[str], query: str, *, sample: bool = True
) -> bool:
    """True when COMMON cases or more match, by the column's statistics (ANALYZE's most
    common words and their share of rows: a word none of them starts is rare), then, for
    several words that are each common, by a sample of about 500 rows (a few pages): two
    common words may never meet, and walking a list for them would read all of it. Without
    `sample` (the working queue: its own count, needed anyway, tells whether they meet in
    it) the statistics alone answer."""
    stats = session.execute(
        text(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs, reltuples"
            " FROM pg_stats JOIN pg_class ON pg_class.oid = 'cases'::regclass"
            " WHERE schemaname = current_schema() AND tablename = 'cases'"
            " AND attname = 'search_vector'"
        )
    ).first()
    if stats is None or stats[0] is None:
        return False
    elements, frequencies, rows = stats
    pairs = list(zip(elements, frequencies[: len(elements)], strict=True))  # then min, max, nulls
    share = 1.0
    for word in words:
        share *= min(1.0, sum(frequency for word_, frequency in pairs if word_.startswith(word)))
    if share * max(rows, 0) < COMMON:
        return False
    if len(words) == 1 or not sample:
        return True
    sampled, hits = session.execute(
        text(
            "SELECT count(*), count(*) FILTER (WHERE search_vector @@ to_tsquery('simple', :q))"
            " FROM cases TABLESAMPLE SYSTEM (:percent) REPEATABLE (0)"
        ),
        {"q": query, "percent": min(100.0, 50_000 / max(rows, 1.0))},
    ).one()
    return bool(sampled) and hits * rows >= COMMON * sampled


def walked(query: Select[Any], match: ColumnElement[bool], *columns: Any) -> Subquery:
    """`query` (ordered, and with its cursor) with `columns` and the search's check as a
    column "hit", behind OFFSET 0: PostgreSQL plans it as it would without the search
    (walking the list's own index in its order) and the outer query keeps the rows that
    hit, stopping at its LIMIT; the planner's guess of how many hit no longer matters."""
    return query.with_only_columns(*columns, match.label("hit")).offset(0).subquery()


def _row_check(session: Session, words: list[str]) -> ColumnElement[bool]:
    """Each row's own text checked as it is read: has_word_prefixes(cases.search_text, words)
    = 1, the FTS5 query asked of one row (no FTS5 query, which for a common word reads every
    match). The function is made known to the session's SQLite connection once: making a
    function known expires the connection's prepared statements."""
    pooled = session.connection().connection
    if not pooled.info.get("has_word_prefixes"):
        connection = pooled.dbapi_connection
        if isinstance(connection, sqlite3.Connection):
            connection.create_function(
                "has_word_prefixes", 2, _has_word_prefixes, deterministic=True
            )
        pooled.info["has_word_prefixes"] = True
    # Each word in the text at all (instr, in C) before the word check (in Python).
    present = [func.instr(Case.search_text, word) > 0 for word in words]
    return and_(*present, func.has_word_prefixes(Case.search_text, " ".join(words)) == 1)


def _has_word_prefixes(folded: str | None, words: str) -> int:
    return int(has_word_prefixes(folded or "", words, fts5_token_character))


@functools.cache
def fts5_token_character(character: str) -> bool:
    """Whether SQLite's own unicode61 tokenizer keeps `character` in a word: its Unicode
    tables (6.1) are older than Python's, so a character assigned since is asked of it, once
    (an in-memory FTS5 table with the options of migration 0011)."""
    if character.isascii():
        return character.isalnum()
    with contextlib.closing(sqlite3.connect(":memory:")) as connection:
        connection.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61')")
        connection.execute("INSERT INTO t (x) VALUES (?)", (f"a{character}b",))
        found = connection.execute("SELECT count(*) FROM t WHERE t MATCH 'a'").fetchone()
        return bool(found[0] == 0)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic filter: leave the search index's own objects out of the model comparison."""
    if name is None:
        return True
    return not any(name == item or name.startswith(f"{item}_") for item in OBJECTS)
