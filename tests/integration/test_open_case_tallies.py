"""The open cases' own tallies (migration 0015) and search index (0016): kept by the
database's triggers, on SQLite and on PostgreSQL, through every kind of change, and read by
the queue's counts, its search and the dashboard."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.domain.permissions import EVERY_CASE
from portal.extensions import db
from portal.models import Case, OpenCaseTally
from portal.services import deadlines as deadline_service
from portal.services import queue
from tests.factories import make_case, make_division, make_user

TODAY = date(2026, 11, 27)


def _tallies() -> dict[tuple[date, int, int], int]:
    db.session.expire_all()
    rows = db.session.execute(
        select(
            OpenCaseTally.next_due_on,
            OpenCaseTally.division_id,
            OpenCaseTally.assignee_id,
            OpenCaseTally.cases,
        )
    )
    return {(due, division, assignee): cases for due, division, assignee, cases in rows}


def _counted() -> dict[tuple[date, int, int], int]:
    """What the tallies must say: the open cases grouped the slow way."""
    division = func.coalesce(Case.division_id, 0)
    assignee = func.coalesce(Case.assignee_id, 0)
    rows = db.session.execute(
        select(Case.next_due_on, division, assignee, func.count())
        .where(Case.next_due_on.is_not(None))
        .group_by(Case.next_due_on, division, assignee)
    )
    return {(due, division_id, assignee_id): n for due, division_id, assignee_id, n in rows}


def test_tallies_follow_every_change_to_a_case(app_ctx) -> None:
    first, second = make_division(), make_division(name="Văn phòng Sở")
    official = make_user()
    cases = [make_case(kind="reflection", subject=f"Cột điện số {n}") for n in range(4)]
    assert sum(_tallies().values()) == 4
    assert _tallies() == _counted()

    steps = [
        lambda: setattr(cases[0], "division_id", first.id),
        lambda: setattr(cases[0], "assignee_id", official.id),
        lambda: setattr(cases[1], "division_id", second.id),
        lambda: setattr(cases[1], "next_due_on", TODAY - timedelta(days=3)),
        lambda: setattr(cases[2], "next_due_on", None),  # its clocks stopped: closed
        lambda: setattr(cases[2], "next_due_on", TODAY + timedelta(days=9)),  # reopened
        lambda: setattr(cases[3], "subject", "Đổi tên"),  # no tally column: nothing moves
        lambda: setattr(cases[0], "assignee_id", None),
        lambda: db.session.delete(cases[1]),
    ]
    for step in steps:
        step()
        db.session.commit()
        assert _tallies() == _counted()
    assert sum(_tallies().values()) == 3
    assert all(count > 0 for count in _tallies().values())  # emptied rows are removed


def test_queue_counts_and_dashboard_read_the_tallies(app_ctx) -> None:
    division = make_division()
    official = make_user()
    overdue = make_case(kind="reflection", subject="Quá hạn")
    overdue.next_due_on = TODAY - timedelta(days=2)
    overdue.division_id = division.id
    overdue.assignee_id = official.id
    soon = make_case(kind="reflection", subject="Sắp đến hạn")
    soon.next_due_on = TODAY + timedelta(days=1)
    later = make_case(kind="petition", subject="Còn hạn")
    later.next_due_on = TODAY + timedelta(days=20)
    later.division_id = division.id
    closed = make_case(kind="petition", subject="Đã xong")
    closed.next_due_on = None
    closed.status = "closed"  # an open case without a clock would still be listed
    db.session.commit()
    calendar = deadline_service.load_calendar(db.session)

    def counts(**filters: object) -> tuple[int, int, int]:
        result = queue.search(
            db.session,
            queue.Filters(**filters),  # type: ignore[arg-type]
            scope=EVERY_CASE,
            today=TODAY,
            calendar=calendar,
            soon_working_days=3,
        )
        assert result.total == len(result.rows)  # the tallies agree with the list itself
        return result.total, result.overdue, result.due_soon

    assert counts() == (3, 1, 1)
    assert counts(due="overdue") == (1, 1, 0)
    assert counts(due="due_soon") == (1, 0, 1)
    assert counts(division_id=division.id) == (2, 1, 0)
    assert counts(assignee_id=official.id) == (1, 1, 0)
    assert counts(unassigned=True, due="open") == (2, 0, 1)
    assert counts(kind="petition") == (1, 0, 0)  # not a tallied filter: counted row by row

    board = queue.dashboard(
        db.session,
        scope=EVERY_CASE,
        today=TODAY,
        calendar=calendar,
        soon_working_days=3,
        week_start=TODAY - timedelta(days=TODAY.weekday()),
    )
    assert board.overdue_by_division == [(division.name, 1)]
    assert board.overdue_by_official == [(official.name, 1)]
    assert board.due_soon_by_official == [("—", 1)]
    assert board.unassigned == 2


def test_concurrent_moves_keep_the_tallies_right(app: Flask, app_ctx) -> None:
    """Two sessions move cases between the same two keys in opposite directions at once: on
    PostgreSQL the trigger locks the tally rows in key order, so neither waits on the other
    forever; on SQLite the writers take turns (BEGIN IMMEDIATE, see portal/web/database.py)."""
    first, second = make_division(), make_division(name="Văn phòng Sở")
    ids = []
    for number in range(40):
        case = make_case(kind="reflection", subject=f"Cột điện số {number}")
        case.division_id = (first if number % 2 else second).id
        ids.append(case.id)
    db.session.commit()
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def move(case_ids: list[int], division_id: int) -> None:
        with app.test_request_context("/", method="POST"):  # a write, as an official's form
            try:
                barrier.wait()
                for case_id in case_ids:  # one transaction each: many chances to interleave
                    db.session.get(Case, case_id).division_id = division_id
                    db.session.commit()
            except Exception as error:  # collected and reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=move, args=(ids[0::2], first.id)),
        threading.Thread(target=move, args=(ids[1::2], second.id)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.rollback()
    assert _tallies() == _counted()
    assert sum(_tallies().values()) == 40


@pytest.mark.parametrize("common", [False, True], ids=["rare-word plan", "common-word plan"])
def test_open_case_search_follows_cases_in_and_out_of_the_queue(
    app_ctx, monkeypatch, common: bool
) -> None:
    from portal.domain.search import fold
    from portal.models import search_index

    if common:  # every word counts as common: the plan that walks the list's own index
        monkeypatch.setattr(search_index, "COMMON", 1)
    calendar = deadline_service.load_calendar(db.session)
    pole, mast, press = (
        make_case(kind="reflection", subject=subject)
        for subject in ("Cột điện đổ", "Cột điện nghiêng", "Thẻ nhà báo")
    )

    def found(text: str, **filters: object) -> list[str]:
        result = queue.search(
            db.session,
            queue.Filters(text=text, **filters),  # type: ignore[arg-type]
            scope=EVERY_CASE,
            today=TODAY,
            calendar=calendar,
            soon_working_days=3,
        )
        assert result.total == len(result.rows)
        return sorted(row.case.subject for row in result.rows)

    assert found("cot dien") == ["Cột điện nghiêng", "Cột điện đổ"]
    mast.next_due_on = None  # answered: it leaves the working queue
    mast.status = "resolved"
    db.session.commit()
    assert found("cot dien") == ["Cột điện đổ"]
    assert mast.subject in found("cot dien", status=mast.status)  # a list of any case
    mast.next_due_on = TODAY + timedelta(days=5)  # a new clock: back in the queue
    mast.status = "in_progress"
    db.session.commit()
    assert found("cot dien") == ["Cột điện nghiêng", "Cột điện đổ"]
    press.subject = "Cột ăng-ten"  # text changed while open: found by the new words only
    press.search_text = fold(press.subject)
    db.session.commit()
    assert found("ang ten") == ["Cột ăng-ten"]
    assert found("nha bao") == []
    db.session.delete(pole)
    db.session.commit()
    assert found("cot") == sorted(["Cột điện nghiêng", "Cột ăng-ten"])
