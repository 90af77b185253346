"""The same form registered twice: the intake does not look the form's key up first; its
numbered insert adds no case when one has the key, and the second request is shown the first
one's case, never an error page, with no second case numbered (on PostgreSQL even when both
came at the same moment). A form read in a POST does not hold SQLite's write lock while it
reads."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, select

from portal.domain import tracking
from portal.extensions import db
from portal.models import Case, CaseEvent, Deadline
from portal.services import deadlines as deadline_service
from portal.services import submissions
from portal.web.database import current_transaction
from tests.integration.submission_helpers import register_reflection


def _submit(key: str, received_on: date | None = None) -> submissions.Receipt:
    return register_reflection(key, received_on=received_on)


def test_a_clash_on_the_form_key_is_the_first_case_shown_again(app_ctx) -> None:  # type: ignore[no-untyped-def]
    first = _submit("same-form-key")
    with pytest.raises(submissions.DuplicateSubmission) as raised:
        _submit("same-form-key")
    assert raised.value.case.id == first.case_id
    db.session.rollback()
    assert db.session.scalar(select(func.count(Case.id))) == 1
    # the refused insert left nothing behind
    assert db.session.scalar(select(func.count(CaseEvent.id))) == 1
    assert db.session.scalar(select(func.count(Deadline.id))) == 1


def test_the_next_form_after_a_clash_gets_the_next_number(app_ctx) -> None:  # type: ignore[no-untyped-def]
    first = _submit("form-one")
    with pytest.raises(submissions.DuplicateSubmission):
        _submit("form-one")
    db.session.rollback()
    second = _submit("form-two")
    first_year, first_sequence = tracking.parse_case_number(first.case_number) or (0, 0)
    assert tracking.parse_case_number(second.case_number) == (first_year, first_sequence + 1)


def test_a_post_reads_without_the_write_lock_and_then_writes_with_it(app, app_ctx) -> None:  # type: ignore[no-untyped-def]
    """What the form's view does: on SQLite, read the calendar in a deferred transaction that
    ends before the intake's own transaction takes the lock (BEGIN IMMEDIATE). PostgreSQL's
    reads take no lock: there the block runs in the transaction the intake goes on with."""
    from portal.web.database import read_transaction

    begun: list[str] = []

    def remember(conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("BEGIN"):
            begun.append(statement)

    sqlite = db.engine.dialect.name == "sqlite"
    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        db.session.commit()
        with app.test_request_context("/gui-don/phan-anh", method="POST"):
            with read_transaction(db.session):
                deadline_service.load_calendar(db.session)
            read_ended = current_transaction(db.session) is None
            receipt = _submit("read-then-write")
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert receipt.case_number
    if sqlite:
        assert read_ended
        assert begun == ["BEGIN", "BEGIN IMMEDIATE"]
    else:
        assert not read_ended  # one transaction, begun by the driver itself
        assert begun == []


def _at_once(app, sends: list[date | None]) -> list[object]:  # type: ignore[no-untyped-def]
    """The same form sent by several threads at the same moment (received on the given days):
    what each got, the case's id or ("shown", the first case's id)."""
    import threading

    barrier = threading.Barrier(len(sends))
    outcomes: list[object] = []

    def send(received_on: date | None) -> None:
        with app.test_request_context("/gui-don/phan-anh", method="POST"):
            try:
                barrier.wait()
                outcomes.append(_submit("pressed-at-once", received_on).case_id)
            except submissions.DuplicateSubmission as duplicate:
                outcomes.append(("shown", duplicate.case.id))
            except Exception as error:  # reported by the callers' assertions
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send, args=(day,)) for day in sends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _one_case_and_the_rest_shown_it(outcomes: list[object]) -> None:
    made = [outcome for outcome in outcomes if isinstance(outcome, int)]
    assert len(made) == 1, outcomes
    others = [("shown", made[0])] * (len(outcomes) - 1)
    assert sorted(outcomes, key=str) == sorted([made[0], *others], key=str)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Case.id))) == 1


def test_the_same_form_four_times_at_once_makes_one_case(app, app_ctx) -> None:  # type: ignore[no-untyped-def]
    """A form sent four times at the same moment (a double click, a resend): one case; the
    other three are shown it (on PostgreSQL they wait for the numbering lock, then find it)."""
    _one_case_and_the_rest_shown_it(_at_once(app, [None] * 4))


def test_the_same_form_sent_twice_across_new_year_makes_one_case(app, app_ctx) -> None:  # type: ignore[no-untyped-def]
    """A double click across midnight on 31 December: the two sends fall in two registers'
    years, and the second still waits for the first and is shown its case (a numbering lock
    per year let it miss the first, still uncommitted, and fail on the unique key)."""
    _one_case_and_the_rest_shown_it(_at_once(app, [date(2026, 12, 31), date(2027, 1, 1)] * 2))
