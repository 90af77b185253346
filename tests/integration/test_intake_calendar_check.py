"""The form's view counts deadlines on the calendar its process keeps, without reading the
stored calendar first; the intake's insert checks that the calendar is still the one stored,
so a day off added by another worker (or host) since is never missed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, event, func, insert, select

from portal.domain.deadlines import due_date
from portal.extensions import db
from portal.models import CalendarOverride, Case, CaseEvent, Deadline
from portal.services import deadlines as deadline_service
from portal.services import stored_calendar, submissions
from portal.web.database import current_transaction
from portal.web.rules import current_rules
from tests.factories import make_user
from tests.integration.submission_helpers import fill, register_reflection, submit_and_read_code


def _day_off_written_by_another_worker(day, kind: str = "day_off") -> int:  # type: ignore[no-untyped-def]
    """Straight to the database, as another process would: this one's kept calendar does not
    know of it. Returns the override's id."""
    with db.engine.begin() as connection:
        return int(
            connection.execute(
                insert(CalendarOverride)
                .values(day=day, kind=kind, note="Nghỉ bù", source="test", builtin=False)
                .returning(CalendarOverride.id)
            ).scalar_one()
        )


def test_a_calendar_changed_since_it_was_loaded_stores_nothing(app_ctx) -> None:  # type: ignore[no-untyped-def]
    kept = stored_calendar.load_stored_calendar(db.session)
    db.session.commit()
    _day_off_written_by_another_worker(datetime.now(UTC).date() + timedelta(days=400))
    with pytest.raises(submissions.CalendarChanged):
        register_reflection("stale-calendar", stored=kept)
    assert current_transaction(db.session) is None  # rolled back: no lock held
    assert db.session.scalar(select(func.count(Case.id))) == 0
    assert db.session.scalar(select(func.count(CaseEvent.id))) == 0
    current = stored_calendar.load_stored_calendar(db.session)
    assert current.fingerprint != kept.fingerprint
    assert stored_calendar.last_stored_calendar(db.session) == current
    assert register_reflection("stale-calendar", stored=current).case_number


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


def test_an_override_put_right_changes_the_fingerprint(app_ctx) -> None:  # type: ignore[no-untyped-def]
    """SQLite gives a new row the id of the newest row deleted: the fingerprint still changes
    when an override is removed and another day, or the same day as another kind, added."""
    far = datetime.now(UTC).date() + timedelta(days=400)

    def fingerprint():  # type: ignore[no-untyped-def]
        db.session.rollback()
        return stored_calendar.load_stored_calendar(db.session).fingerprint

    def remove(override_id: int) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(CalendarOverride).where(CalendarOverride.id == override_id))

    mistaken = _day_off_written_by_another_worker(far)
    seen = {fingerprint()}
    remove(mistaken)
    corrected = _day_off_written_by_another_worker(far + timedelta(days=1))
    seen.add(fingerprint())
    remove(corrected)
    _day_off_written_by_another_worker(far + timedelta(days=1), kind="working_day")
    seen.add(fingerprint())
    assert len(seen) == 3


def test_a_form_sent_while_the_calendar_changes_waits_for_it(app, app_ctx) -> None:  # type: ignore[no-untyped-def]
    """A calendar change and the intake take turns (SQLite's write lock; PostgreSQL's
    register lock, which every change of the calendar takes): an insert that waited for an
    uncommitted change sees it once it commits, and stores nothing on the old calendar."""
    import threading

    from portal.services.register_lock import take_register_lock

    kept = stored_calendar.load_stored_calendar(db.session)
    db.session.commit()
    changing = db.session()
    # What an administrator's change does first (deadlines.add_override, which commits the
    # override and the recount together, so that a test cannot stop it half-way).
    with app.test_request_context("/quan-tri/lich", method="POST"):
        take_register_lock(changing)
        changing.add(
            CalendarOverride(
                day=datetime.now(UTC).date() + timedelta(days=400),
                kind="day_off",
                note="Nghỉ bù",
                source="test",
                created_at=datetime.now(UTC),
            )
        )
        changing.flush()  # not committed yet
        outcome: list[object] = []

        def send() -> None:
            with app.test_request_context("/gui-don/phan-anh", method="POST"):
                try:
                    outcome.append(register_reflection("while-it-changes", stored=kept).case_number)
                except Exception as error:  # the assertions below say what was expected
                    outcome.append(error)
                finally:
                    db.session.remove()

        sender = threading.Thread(target=send)
        sender.start()
        sender.join(timeout=0.5)
        waited = sender.is_alive()
        changing.commit()
    sender.join(timeout=30)
    assert waited  # the insert waited for the change
    assert len(outcome) == 1 and isinstance(outcome[0], submissions.CalendarChanged), outcome
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_every_change_of_the_calendar_takes_the_register_lock_first(app_ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    taken: list[str] = []
    original = deadline_service.take_register_lock

    def spy(session) -> None:  # type: ignore[no-untyped-def]
        taken.append("lock")
        original(session)

    monkeypatch.setattr(deadline_service, "take_register_lock", spy)
    administrator = make_user(roles=("admin",))
    day = datetime.now(UTC).date() + timedelta(days=400)
    change = {"actor_id": administrator.id, "now": datetime.now(UTC), "rules": current_rules()}
    deadline_service.add_override(
        db.session, day=day, kind="day_off", note="Nghỉ bù", source="test", **change
    )
    added = db.session.scalars(select(CalendarOverride).where(CalendarOverride.day == day)).one()
    deadline_service.remove_override(db.session, override_id=added.id, **change)
    deadline_service.sync_builtin_corrections(db.session, now=datetime.now(UTC))
    assert taken == ["lock", "lock", "lock"]


def test_a_calendar_that_keeps_changing_shows_the_form_again_with_what_was_typed(
    client, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    tries: list[int] = []

    def always_changed(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        tries.append(1)
        raise submissions.CalendarChanged()

    monkeypatch.setattr(submissions, "submit", always_changed)
    response = fill(client, "phan-anh", subject="Đèn đường hỏng ở ấp Bình Trung")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert len(tries) == 3
    assert "Đèn đường hỏng ở ấp Bình Trung" in page
    assert db.session.scalar(select(func.count(Case.id))) == 0
