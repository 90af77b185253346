"""Pure rules of the reception and dialogue sessions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from portal.domain import dialogues as rules
from portal.domain.calendar import WorkingCalendar

NOW = datetime(2026, 6, 10, 3, 0, tzinfo=UTC)


def test_new_registration_takes_a_seat_until_full() -> None:
    assert rules.status_for_new(2, 0) == "confirmed"
    assert rules.status_for_new(2, 1) == "confirmed"
    assert rules.status_for_new(2, 2) == "waiting"
    assert rules.status_for_new(0, 0) == "waiting"
    assert rules.seats_left(2, 5) == 0


def test_promotion_in_waiting_list_order() -> None:
    waiting = [rules.Waiting(10, 5), rules.Waiting(11, 3), rules.Waiting(12, 4)]
    assert rules.to_promote(3, 2, waiting) == [11]
    assert rules.to_promote(5, 2, waiting) == [11, 12, 10]
    assert rules.to_promote(2, 2, waiting) == []


def test_registration_window() -> None:
    starts = datetime(2026, 6, 15, 0, 30, tzinfo=UTC)
    kwargs = {"starts_at": starts, "opens_at": None, "closes_at": None}
    assert rules.registration_open(NOW, status="scheduled", **kwargs)
    assert not rules.registration_open(NOW, status="cancelled", **kwargs)
    assert not rules.registration_open(starts, status="scheduled", **kwargs)
    later = datetime(2026, 6, 12, tzinfo=UTC)
    assert not rules.registration_open(
        NOW, status="scheduled", starts_at=starts, opens_at=later, closes_at=None
    )
    assert not rules.registration_open(
        NOW, status="scheduled", starts_at=starts, opens_at=None, closes_at=NOW
    )


def _facts(ident: int, day: date, **changes: object) -> rules.SessionFacts:
    values: dict = {"status": "held", "mode": "in_person", "host_is_head": True}
    values.update(changes)
    return rules.SessionFacts(ident, rules.local_to_utc(day, time(7, 30)), **values)


def test_compliance_flags_months_without_the_head_in_person() -> None:
    sessions = [
        _facts(1, date(2026, 1, 15)),
        _facts(2, date(2026, 2, 23), host_is_head=False),
        _facts(3, date(2026, 3, 16), mode="online"),
        _facts(4, date(2026, 4, 15), status="cancelled"),
        _facts(5, date(2026, 5, 15), status="scheduled"),  # in the past, never marked held
        _facts(6, date(2026, 7, 15), status="scheduled"),  # still to come
        _facts(7, date(2026, 8, 14), mode="both"),
        _facts(8, date(2025, 12, 15)),
    ]
    months = rules.compliance(2026, sessions, NOW)
    assert [m.month for m in months] == list(range(1, 13))
    compliant = {m.month for m in months if m.compliant}
    assert compliant == {1, 7, 8}
    february = months[1]
    assert [s.id for s in february.others] == [2] and not february.qualifying


def test_compliance_uses_vietnam_time() -> None:
    # 00:30 on 1 March in Vietnam is still 28 February in UTC.
    moment = datetime(2026, 2, 28, 17, 30, tzinfo=UTC)
    session = rules.SessionFacts(1, moment, "held", "in_person", True)
    months = rules.compliance(2026, [session], NOW)
    assert months[2].compliant and not months[1].compliant


def test_recurrence_moves_day_15_across_tet_2026() -> None:
    calendar = WorkingCalendar()
    rule = rules.Recurrence(day_of_month=15, policy="next_working_day")
    dates = rules.periodic_dates(date(2026, 1, 1), rule, calendar)
    assert len(dates) == 12
    assert dates[0] == date(2026, 1, 15)
    assert dates[1] == date(2026, 2, 23)  # Tết: 14-22/02/2026 are days off
    assert all(calendar.is_working_day(d) for d in dates)


def test_recurrence_starts_after_the_start_day_and_skips_existing() -> None:
    calendar = WorkingCalendar()
    first = rules.periodic_dates(
        date(2026, 1, 20), rules.Recurrence(15, "next_working_day"), calendar
    )
    assert first[0] == date(2026, 2, 23) and len(first) == 12
    skipped = rules.periodic_dates(
        date(2026, 1, 20),
        rules.Recurrence(15, "next_working_day", skip=frozenset({date(2026, 2, 23)})),
        calendar,
    )
    assert date(2026, 2, 23) not in skipped and len(skipped) == 11


def test_recurrence_weekday_after() -> None:
    calendar = WorkingCalendar()
    dates = rules.periodic_dates(
        date(2026, 2, 1), rules.Recurrence(15, "weekday_after", weekday=2, months=1), calendar
    )
    assert dates == [date(2026, 2, 25)]  # the first working Wednesday on or after 15/02


def test_session_times_are_stored_in_utc() -> None:
    start, end = rules.session_times(date(2026, 2, 23), time(7, 30), time(11, 0))
    assert start == datetime(2026, 2, 23, 0, 30, tzinfo=UTC)
    assert end == datetime(2026, 2, 23, 4, 0, tzinfo=UTC)


def test_registration_list_order() -> None:
    rows = [(1, "cancelled", 1), (2, "waiting", 4), (3, "confirmed", 2), (4, "waiting", 3)]
    assert rules.order_registrations(rows) == [3, 4, 2, 1]


def test_reception_kind_in_the_register() -> None:
    assert rules.reception_kind("periodic", True) == "periodic"
    assert rules.reception_kind("dialogue", True) == "periodic"
    assert rules.reception_kind("unscheduled", True) == "unscheduled"
    assert rules.reception_kind("periodic", False) == "regular"
    assert rules.case_kind_for("denunciation") == "denunciation"
    assert rules.case_kind_for("question") == "petition"
    assert rules.case_kind_for(None) == "petition"


def _arrangements(**changes: object) -> rules.Arrangements:
    values: dict = {
        "starts_at": datetime(2026, 7, 15, 0, 30, tzinfo=UTC),
        "ends_at": datetime(2026, 7, 15, 4, 0, tzinfo=UTC),
        "mode": "both",
        "place": "Hội trường Sở",
        "online_link": "https://meet.example.vn/a",
        "status": "scheduled",
    }
    values.update(changes)
    return rules.Arrangements(**values)


def test_change_notice_only_for_what_registered_people_rely_on() -> None:
    before = _arrangements()
    assert rules.change_notice(before, _arrangements()) is None
    assert rules.change_notice(before, _arrangements(status="held")) is None
    assert rules.change_notice(before, _arrangements(status="cancelled")) == "cancelled"
    assert (
        rules.change_notice(_arrangements(status="cancelled"), _arrangements(status="cancelled"))
        is None
    )
    assert rules.change_notice(before, _arrangements(status="moved")) == "changed"
    assert rules.change_notice(before, _arrangements(place="Phòng họp 2")) == "changed"
    assert rules.change_notice(before, _arrangements(online_link="https://x.vn")) == "changed"
    later = datetime(2026, 7, 16, 0, 30, tzinfo=UTC)
    assert rules.change_notice(before, _arrangements(starts_at=later)) == "changed"


def test_reminder_horizon_is_the_end_of_tomorrow_in_vietnam() -> None:
    # 00:00 on 17 July in Vietnam is 17:00 UTC on 16 July.
    assert rules.reminder_horizon(date(2026, 7, 15)) == datetime(2026, 7, 16, 17, 0, tzinfo=UTC)


def test_follow_up_state_and_one_reminder_a_day() -> None:
    today, horizon = date(2026, 11, 23), date(2026, 11, 26)
    assert rules.follow_up_state(date(2026, 11, 20), today=today, horizon=horizon) == "overdue"
    assert rules.follow_up_state(today, today=today, horizon=horizon) == "due_soon"
    assert rules.follow_up_state(horizon, today=today, horizon=horizon) == "due_soon"
    assert rules.follow_up_state(date(2026, 11, 27), today=today, horizon=horizon) == "later"
    assert rules.remind_follow_up(None, today)
    assert rules.remind_follow_up(date(2026, 11, 22), today)
    assert not rules.remind_follow_up(today, today)


def test_months_without_head_looks_at_this_month_and_the_next_two() -> None:
    sessions = [_facts(1, date(2026, 12, 15), status="scheduled")]
    months = rules.compliance(2026, sessions, NOW) + rules.compliance(2027, sessions, NOW)
    assert rules.months_without_head(months, date(2026, 11, 20)) == [(2026, 11), (2027, 1)]
    assert rules.months_without_head(months, date(2026, 12, 1), ahead=1) == []
