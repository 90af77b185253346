"""The form's view counts deadlines on the calendar its process keeps, without reading the
stored calendar first; the intake's insert checks that the calendar is still the one stored,
so a day off added by another worker (or host) since is never missed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import current_app
from sqlalchemy import event, func, insert, select

from portal.domain.deadlines import due_date
from portal.extensions import db
from portal.models import CalendarOverride, Case, CaseEvent, Deadline
from portal.services import deadlines as deadline_service
from portal.services import stored_calendar, submissions
from portal.web.database import current_transaction
from portal.web.rules import current_rules
from tests.integration.submission_helpers import submit_and_read_code


def _day_off_written_by_another_worker(day) -> None:  # type: ignore[no-untyped-def]
    """Straight to the database, as another process would: this one's kept calendar does not
    know of it."""
    with db.engine.begin() as connection:
        connection.execute(
            insert(CalendarOverride).values(
                day=day, kind="day_off", note="Nghỉ bù", source="test", builtin=False
            )
        )


def _submit(key: str, stored: stored_calendar.StoredCalendar) -> submissions.Receipt:
    return submissions.submit(
        db.session,
        submissions.Submission(
            kind="reflection",
            subject="Cột điện viễn thông đổ chắn đường",
            content="Sau cơn bão, cột điện đổ chắn ngang đường.",
            idempotency_key=key,
            consent_version="test",
            name="Nguyễn Văn Bình",
            phone="+84912345678",
        ),
        now=datetime.now(UTC),
        settings=submissions.Settings(
            pepper=current_app.config["ACCESS_CODE_PEPPER"].encode(),
            custodian_public_key=None,
        ),
        rules=current_rules(),
        calendar=stored.calendar,
        calendar_fingerprint=stored.fingerprint,
    )


def test_a_calendar_changed_since_it_was_loaded_stores_nothing(app_ctx) -> None:  # type: ignore[no-untyped-def]
    kept = stored_calendar.load_stored_calendar(db.session)
    db.session.commit()
    _day_off_written_by_another_worker(datetime.now(UTC).date() + timedelta(days=400))
    with pytest.raises(submissions.CalendarChanged):
        _submit("stale-calendar", kept)
    assert current_transaction(db.session) is None  # rolled back: no lock held
    assert db.session.scalar(select(func.count(Case.id))) == 0
    assert db.session.scalar(select(func.count(CaseEvent.id))) == 0
    current = stored_calendar.load_stored_calendar(db.session)
    assert current.fingerprint != kept.fingerprint
    assert stored_calendar.last_stored_calendar(db.session) == current
    assert _submit("stale-calendar", current).case_number


def test_a_form_counts_its_deadline_on_a_day_off_added_by_another_worker(client) -> None:  # type: ignore[no-untyped-def]
    submit_and_read_code(client, "phan-anh")  # this process now keeps the calendar
    first = db.session.scalars(select(Case)).one()
    kept = stored_calendar.last_stored_calendar(db.session)
    assert kept is not None
    rule = current_rules()["letter.process"]
    # The first working day after the receipt becomes a day off: the deadline moves by a day.
    day = first.received_on + timedelta(days=1)
    while not kept.calendar.is_working_day(day):
        day += timedelta(days=1)
    db.session.rollback()
    _day_off_written_by_another_worker(day)

    submit_and_read_code(client, "phan-anh", phone="0912 345 679")
    second = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert second is not None and second.id != first.id
    stored_due = db.session.scalar(select(Deadline.due_on).where(Deadline.case_id == second.id))
    current = deadline_service.load_calendar(db.session)
    assert stored_due == due_date(rule, second.received_on, current, explain=False).due
    assert stored_due != due_date(rule, second.received_on, kept.calendar, explain=False).due


def test_a_form_sent_on_the_kept_calendar_runs_one_transaction(client) -> None:  # type: ignore[no-untyped-def]
    submit_and_read_code(client, "phan-anh")  # this process now keeps the calendar
    begun: list[str] = []

    def remember(conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("BEGIN"):
            begun.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        submit_and_read_code(client, "phan-anh", phone="0912 345 679")
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    # SQLite: only the intake's own transaction (no read of the calendar or the form's key
    # before it); PostgreSQL's driver begins its transactions itself.
    assert begun == (["BEGIN IMMEDIATE"] if db.engine.dialect.name == "sqlite" else [])
