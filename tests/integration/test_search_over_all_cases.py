"""A search over every case (a status chosen, outside the working queue) and the working
queue's search, on a few thousand seeded cases: the same matches in the same order as a
plain reading of every case, counts exact up to the cap and "more than 500" past it, and the
search index in step with a case's text (FTS5 on SQLite, the stored tsvector column of
migration 0022 on PostgreSQL)."""

from __future__ import annotations

import re
import sqlite3
from datetime import date

import pytest
from flask import current_app
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import bindparam, select, text

from portal.domain.permissions import EVERY_CASE
from portal.domain.search import fold, has_word_prefixes
from portal.extensions import db
from portal.models import Case
from portal.models.search_index import fts5_token_character
from portal.services import deadlines as deadline_service
from portal.services import queue
from portal.services.scale import seed_scale
from tests.admin_helpers import sign_in
from tests.factories import make_case, make_user

TODAY = date(2026, 11, 27)
TOKEN = re.compile(r"\w+")


CLOSED_KINDS = ("resolved", "closed", "guided", "forwarded")


def _search(words: str, *, after: str | None = None, **filters: object) -> queue.Result:
    return queue.search(
        db.session,
        queue.Filters(text=words, **filters),  # type: ignore[arg-type]
        scope=EVERY_CASE,
        today=TODAY,
        calendar=deadline_service.load_calendar(db.session),
        soon_working_days=3,
        after=after,
        per_page=50,
    )


def _found_the_slow_way(words: str, statuses: tuple[str, ...]) -> list[int]:
    """The ids of the cases of these statuses whose folded text has a word starting with
    each search word, in the order of a list outside the working queue (newest first)."""
    wanted = fold(words).split()
    cases = db.session.execute(
        select(Case.id, Case.status, Case.search_text).order_by(
            Case.received_on.desc(), Case.id.desc()
        )
    ).all()
    return [
        ident
        for ident, status, folded in cases
        if status in statuses
        and all(any(token.startswith(word) for token in TOKEN.findall(folded)) for word in wanted)
    ]


STATUS = re.compile(r'<p role="status">(.*?)</p>')


@pytest.fixture
def seeded(app_ctx):  # type: ignore[no-untyped-def]
    """3,000 cases of `flask seed-scale`: "dien" is in two subjects of eight, "cot" in one."""
    seed_scale(
        db.session,
        cases=3000,
        rules=current_app.extensions["deadline_rules"],
        calendar=deadline_service.load_calendar(db.session),
    )
    db.session.commit()
    return app_ctx


@pytest.mark.parametrize("common", [False, True], ids=["rare-word plan", "common-word plan"])
def test_searches_among_closed_cases_list_every_match_in_order_and_count_to_500(
    seeded, monkeypatch, common: bool
) -> None:
    """Both plans: reading the matches from the index, or (a word that COMMON cases or more
    have) walking the list's own index and checking each row: on SQLite its text
    (has_word_prefixes), on PostgreSQL its stored vector, after ANALYZE told the planner how
    common the words are."""
    from portal.models import search_index

    assert queue.COUNT_CAP == 500
    if common:
        monkeypatch.setattr(search_index, "COMMON", 1)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE cases"))
            db.session.commit()
            found = search_index.matches(db.session, ["dien"])
            assert found is not None and found.walk_page and found.walk_count
    for words, filters in [
        ("cot dien", {"status": "closed"}),
        ("dien", {"status": "forwarded"}),
        ("dien", {"statuses": CLOSED_KINDS}),  # a statistics figure's list, past the cap
    ]:
        statuses = tuple(filters.get("statuses") or (filters["status"],))  # type: ignore[arg-type]
        expected = _found_the_slow_way(words, statuses)
        assert len(expected) > 60
        shown: list[int] = []
        after = None
        while True:
            result = _search(words, after=after, **filters)
            shown += [row.case.id for row in result.rows]
            if len(expected) <= queue.COUNT_CAP:
                assert not result.capped and result.total == len(expected)
            else:  # counted up to the cap, and said to be more
                assert result.capped and result.total == queue.COUNT_CAP + 1
            after = result.next_after
            if after is None:
                break
        assert shown == expected, (words, filters)
    assert len(_found_the_slow_way("dien", CLOSED_KINDS)) > 500
    rare = _search("khieu song", status="closed")  # no seeded subject has both words
    assert rare.total == len(rare.rows) == 0 and not rare.capped
    # the working queue's search: counted the same way, among open cases
    working = _search("dien")
    expected_open = len(_found_the_slow_way("dien", ("received", "accepted", "in_progress")))
    assert working.total == min(expected_open, 501)
    assert working.capped == (expected_open > 500)


def test_the_page_says_more_than_500_in_both_languages(seeded, client) -> None:
    sign_in(client, make_user(roles=("clerk",)))
    capped = "/quan-tri/don/?q=dien" + "".join(f"&statuses={s}" for s in CLOSED_KINDS)
    exact = len(_found_the_slow_way("cot dien", ("closed",)))

    def status(url: str) -> str:
        found = STATUS.search(client.get(url).get_data(as_text=True))
        assert found
        return found.group(1)

    assert status(capped) == "Hơn 500 đơn."
    assert status("/quan-tri/don/?q=cot+dien&status=closed").startswith(f"{exact} đơn;")
    client.post("/ngon-ngu", data={"language": "en", "next": "/"})
    assert status(capped) == "More than 500 cases."
    assert status("/quan-tri/don/?q=cot+dien&status=closed").startswith(f"{exact} cases;")


def test_the_index_follows_a_closed_case_whose_text_changes(app_ctx) -> None:
    case = make_case(kind="reflection", subject="Cột điện đổ")
    case.status, case.next_due_on = "closed", None
    db.session.commit()
    assert [row.case.id for row in _search("cot dien", status="closed").rows] == [case.id]
    case.subject = "Thẻ nhà báo"
    case.search_text = fold(case.subject)
    db.session.commit()
    assert _search("cot dien", status="closed").rows == []
    assert [row.case.id for row in _search("nha bao", status="closed").rows] == [case.id]
    if db.engine.dialect.name == "postgresql":
        # the stored column is the text's own vector, whatever wrote the text
        db.session.execute(
            text("UPDATE cases SET search_text = 'cot dien nghieng' WHERE id = :id"),
            {"id": case.id},
        )
        stale = db.session.scalar(
            text(
                "SELECT count(*) FROM cases "
                "WHERE search_vector IS DISTINCT FROM to_tsvector('simple', search_text)"
            )
        )
        assert stale == 0
        db.session.commit()
    else:
        db.session.execute(
            text("UPDATE cases SET search_text = 'cot dien nghieng' WHERE id = :id"),
            {"id": case.id},
        )
        db.session.commit()
    assert [row.case.id for row in _search("cot nghi", status="closed").rows] == [case.id]
    db.session.delete(case)
    db.session.commit()
    assert _search("cot", status="closed").rows == []


ALPHABET = "abcdiot019 -_.,/'\u0301\u0323\ue000中ßđĐôÔΩｃ²⁵٣\u200b\u2067\u038b\U0001f600\U0001f926"


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=ALPHABET, max_size=24),
    words=st.lists(st.text(alphabet="abcdiot019", min_size=1, max_size=3), min_size=1, max_size=3),
)
def test_the_row_check_agrees_with_the_fts5_index(text: str, words: list[str]) -> None:
    """has_word_prefixes, which SQLite calls for each row a list walks, finds what the FTS5
    index of cases finds (the same tokenizer options as migration 0011) in any folded text."""
    folded = fold(text)
    with sqlite3.connect(":memory:") as connection:
        connection.execute("CREATE VIRTUAL TABLE t USING fts5(search_text, tokenize='unicode61')")
        connection.execute("INSERT INTO t (rowid, search_text) VALUES (1, ?)", (folded,))
        query = " ".join(f'"{word}"*' for word in words)
        indexed = connection.execute("SELECT count(*) FROM t WHERE t MATCH ?", (query,)).fetchone()
    checked = has_word_prefixes(folded, " ".join(words), fts5_token_character)
    assert checked == bool(indexed[0]), (folded, words)


OPEN = ("received", "accepted", "in_progress", "suspended")


@pytest.mark.parametrize("common", [False, True], ids=["rare-word plan", "common-word plan"])
def test_the_working_queues_search_counts_what_a_plain_reading_counts(
    seeded, monkeypatch, common: bool
) -> None:
    """The working queue's counts (total, overdue, due soon) with a search, narrowed by
    division, kind, assignee or a viewer's scope, equal a plain reading of the open cases
    (with a clock, then those without), and stop past the cap: on SQLite they start from
    the open cases' FTS5 matches joined to the cases, on PostgreSQL from its GIN index of
    open cases (or, past the cap, a capped reading of it)."""
    from portal.domain.permissions import CaseScope
    from portal.models import Division, search_index

    if common:
        monkeypatch.setattr(search_index, "COMMON", 1)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE cases"))
            db.session.commit()
    first, second = Division(code="A", name="Phòng A"), Division(code="B", name="Phòng B")
    db.session.add_all([first, second])
    handler = make_user(division=first)
    db.session.flush()
    db.session.execute(
        text("UPDATE cases SET division_id = CASE WHEN id % 3 = 0 THEN :a ELSE :b END"),
        {"a": first.id, "b": second.id},
    )
    db.session.execute(
        text("UPDATE cases SET assignee_id = :u WHERE id % 7 = 0"), {"u": handler.id}
    )
    # The answered cases open again (a clock overdue, due soon or later), so that a
    # common word has more than 500 open matches (the indexes of open cases follow).
    db.session.execute(
        text(
            "UPDATE cases SET status = 'in_progress', next_due_on = CASE id % 3"
            " WHEN 0 THEN :late WHEN 1 THEN :soon ELSE :later END"
            " WHERE status NOT IN :open"
        ).bindparams(bindparam("open", expanding=True)),
        {"late": date(2026, 11, 20), "soon": TODAY, "later": date(2027, 1, 5), "open": OPEN},
    )
    db.session.commit()
    calendar = deadline_service.load_calendar(db.session)
    soon = calendar.add_working_days(TODAY, 3)
    cases = db.session.execute(
        select(
            Case.id,
            Case.status,
            Case.search_text,
            Case.next_due_on,
            Case.kind,
            Case.division_id,
            Case.assignee_id,
        )
    ).all()

    def expected(words: str, scope: CaseScope, **filters: object) -> tuple[int, int, int]:
        wanted = fold(words).split()
        hits = [
            case
            for case in cases
            if case.status in OPEN
            and scope.admits(case.assignee_id, case.division_id)
            and all(case_filter(case, key, value) for key, value in filters.items())
            and all(
                any(token.startswith(word) for token in TOKEN.findall(case.search_text))
                for word in wanted
            )
        ]
        due = [case.next_due_on for case in hits if case.next_due_on is not None]
        return (
            len(hits),
            sum(1 for day in due if day < TODAY),
            sum(1 for day in due if TODAY <= day <= soon),
        )

    def case_filter(case: object, key: str, value: object) -> bool:
        column = {"division_id": "division_id", "kind": "kind", "assignee_id": "assignee_id"}
        return bool(getattr(case, column[key]) == value)

    handler_scope = CaseScope(division_id=first.id, assignee_id=handler.id)
    checked = 0
    for words in ("cot dien", "dien", "die", "khieu song"):
        for scope, filters in [
            (EVERY_CASE, {}),
            (EVERY_CASE, {"division_id": second.id}),
            (EVERY_CASE, {"kind": "reflection"}),
            (EVERY_CASE, {"assignee_id": handler.id}),
            (handler_scope, {}),
        ]:
            total, overdue, due_soon = expected(words, scope, **filters)
            result = queue.search(
                db.session,
                queue.Filters(text=words, **filters),  # type: ignore[arg-type]
                scope=scope,
                today=TODAY,
                calendar=calendar,
                soon_working_days=3,
            )
            if total > queue.COUNT_CAP:
                assert result.capped and result.total == queue.COUNT_CAP + 1, (words, filters)
            else:
                assert not result.capped, (words, filters)
                assert (result.total, result.overdue, result.due_soon) == (
                    total,
                    overdue,
                    due_soon,
                ), (words, scope, filters)
                checked += total > 0
    assert checked >= 5
    # the cap is reached too, by whole words ("dien") and by prefixes only ("die")
    assert expected("dien", EVERY_CASE)[0] > queue.COUNT_CAP
    assert expected("die", EVERY_CASE)[0] > queue.COUNT_CAP
    for words in ("cot dien", "die"):  # every page, in the queue's order
        wanted = fold(words).split()
        hits = [
            case
            for case in cases
            if case.status in OPEN
            and all(
                any(token.startswith(word) for token in TOKEN.findall(case.search_text))
                for word in wanted
            )
        ]
        clocked = sorted((c.next_due_on, c.id) for c in hits if c.next_due_on is not None)
        order = [ident for _, ident in clocked]
        order += sorted(c.id for c in hits if c.next_due_on is None)
        shown: list[int] = []
        after = None
        while True:
            page = _search(words, after=after)
            shown += [row.case.id for row in page.rows]
            if (after := page.next_after) is None:
                break
        assert shown == order, words


def test_a_page_reads_the_assignees_names_not_their_roles(app_ctx) -> None:
    """The list shows an assignee's name: loading the official must not fetch their roles
    too (a query more on every page that has an assigned case)."""
    from sqlalchemy import event

    official = make_user(roles=("handler",), name="Trần Văn Hùng")
    case = make_case(kind="reflection", subject="Cột điện đổ")
    case.assignee_id = official.id
    db.session.commit()
    db.session.expunge_all()  # as in a new request, the official is not loaded yet
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        rows = _search("cot dien").rows
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert [row.case.assignee.name for row in rows] == ["Trần Văn Hùng"]
    assert not [statement for statement in statements if "user_roles" in statement]
    assert [role.role for role in rows[0].case.assignee.role_rows] == ["handler"]  # on demand
