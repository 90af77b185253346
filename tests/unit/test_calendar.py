"""Working-day calendar: baseline, built-in corrections, overrides, reception dates.

Expected dates come from docs/legal-basis.md §7.4 (official schedules for state agencies), not
from the code under test.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta

import holidays
import pytest

from portal.domain.calendar import (
    BUILTIN_CORRECTIONS,
    CULTURE_DAY_LAST_YEAR,
    ONE_OFF_CORRECTIONS,
    OVERRIDE_KIND_LABELS,
    POLICY_LABELS,
    REASON_LABELS,
    WEEKDAY_LABELS,
    DayInfo,
    Override,
    WorkingCalendar,
    monthly_reception_dates,
)

D = date


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


def test_pinned_package_version() -> None:
    # The built-in corrections were derived from this exact version; re-derive them on upgrade.
    assert holidays.__version__ == "0.108"


# --- Official weekday days off, docs/legal-basis.md §7.4 ------------------------------------------

OFFICIAL_WEEKDAY_DAYS_OFF = {
    2024: {
        D(2024, 1, 1),
        *(D(2024, 2, d) for d in (8, 9, 12, 13, 14)),  # Tết Thu 08/02 - Wed 14/02
        D(2024, 4, 18),  # Hùng Kings
        D(2024, 4, 29),  # swapped with Sat 04/05
        D(2024, 4, 30),
        D(2024, 5, 1),
        D(2024, 9, 2),
        D(2024, 9, 3),
    },
    2025: {
        D(2025, 1, 1),
        *(D(2025, 1, d) for d in (27, 28, 29, 30, 31)),  # Tết Mon 27/01 - Fri 31/01
        D(2025, 4, 7),
        D(2025, 4, 30),
        D(2025, 5, 1),
        D(2025, 5, 2),  # swapped with Sat 26/04
        D(2025, 9, 1),
        D(2025, 9, 2),
    },
    2026: {
        D(2026, 1, 1),
        D(2026, 1, 2),  # swapped with Sat 10/01 (VPCP 12729/VPCP-KGVX)
        *(D(2026, 2, d) for d in (16, 17, 18, 19, 20)),  # Tết Mon 16/02 - Fri 20/02
        D(2026, 4, 27),  # Hùng Kings Sun 26/04 -> Mon 27/04
        D(2026, 4, 30),
        D(2026, 5, 1),
        D(2026, 8, 31),  # swapped with Sat 22/08
        D(2026, 9, 1),
        D(2026, 9, 2),
    },
}

OFFICIAL_WORKING_WEEKEND_DAYS = {
    2024: {D(2024, 5, 4)},
    2025: {D(2025, 4, 26)},
    2026: {D(2026, 1, 10), D(2026, 8, 22)},
}


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_weekday_days_off_match_official_schedule(calendar: WorkingCalendar, year: int) -> None:
    day, off = D(year, 1, 1), set()
    while day.year == year:
        if day.weekday() < 5 and not calendar.is_working_day(day):
            off.add(day)
        day += timedelta(days=1)
    assert off == OFFICIAL_WEEKDAY_DAYS_OFF[year]


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_working_weekend_days_match_official_schedule(calendar: WorkingCalendar, year: int) -> None:
    day, working = D(year, 1, 1), set()
    while day.year == year:
        if day.weekday() >= 5 and calendar.is_working_day(day):
            working.add(day)
        day += timedelta(days=1)
    assert working == OFFICIAL_WORKING_WEEKEND_DAYS[year]
    assert {i.day for i in calendar.working_saturdays(year)} == working


@pytest.mark.parametrize(
    ("day", "working", "reason"),
    [
        # plain weekdays and weekends
        (D(2026, 3, 4), True, None),
        (D(2026, 3, 7), False, "saturday"),
        (D(2026, 3, 8), False, "sunday"),
        # Tết 2024, 2025, 2026
        (D(2024, 2, 7), True, None),
        (D(2024, 2, 8), False, "holiday"),
        (D(2024, 2, 10), False, "holiday"),  # first day of Tết, a Saturday
        (D(2024, 2, 14), False, "holiday"),
        (D(2024, 2, 15), True, None),
        (D(2025, 1, 24), True, None),
        (D(2025, 1, 25), False, "saturday"),
        (D(2025, 1, 27), False, "holiday"),
        (D(2025, 1, 31), False, "holiday"),
        (D(2025, 2, 1), False, "saturday"),  # corrected: not a statutory Tết day
        (D(2025, 2, 3), True, None),
        (D(2026, 2, 13), True, None),
        (D(2026, 2, 14), False, "saturday"),
        (D(2026, 2, 16), False, "holiday"),
        (D(2026, 2, 20), False, "holiday"),
        (D(2026, 2, 23), True, None),
        # 30/4 - 1/5 and the swaps
        (D(2024, 4, 29), False, "holiday"),
        (D(2024, 5, 4), True, "makeup_saturday"),
        (D(2025, 4, 26), True, "makeup_saturday"),
        (D(2025, 5, 2), False, "holiday"),
        (D(2026, 4, 30), False, "holiday"),
        (D(2026, 5, 1), False, "holiday"),
        (D(2026, 5, 4), True, None),
        # Hùng Kings 2026 on a Sunday, moved to Monday
        (D(2026, 4, 26), False, "holiday"),
        (D(2026, 4, 27), False, "holiday"),
        # 2/9
        (D(2024, 9, 3), False, "holiday"),
        (D(2025, 9, 1), False, "holiday"),
        (D(2026, 8, 22), True, "makeup_saturday"),
        (D(2026, 8, 31), False, "holiday"),
        (D(2026, 9, 3), True, None),
        # New Year 2026 swap (built-in correction)
        (D(2026, 1, 2), False, "override_day_off"),
        (D(2026, 1, 10), True, "override_working_day"),
        # 24/11 is not a holiday yet
        (D(2026, 11, 24), True, None),
        (D(2027, 11, 24), True, None),
    ],
)
def test_day_info(calendar: WorkingCalendar, day: date, working: bool, reason: str | None) -> None:
    info = calendar.day_info(day)
    assert info.day == day
    assert info.working is working
    assert info.reason_code == reason
    assert calendar.is_working_day(day) is working


def test_culture_day_removed_with_its_observed_monday(calendar: WorkingCalendar) -> None:
    for year in range(2026, CULTURE_DAY_LAST_YEAR + 1):
        november = [i for i in calendar.days_off(year) if i.day.month == 11]
        assert november == [], year
    # 24/11/2029 is a Saturday: the package adds Monday 26/11 as observed.
    assert calendar.day_info(D(2029, 11, 24)).reason_code == "saturday"
    assert calendar.is_working_day(D(2029, 11, 26))
    assert calendar.is_working_day(D(2030, 11, 25))


def test_without_corrections_the_package_is_used_as_is() -> None:
    raw = WorkingCalendar(corrections=())
    assert raw.is_working_day(D(2026, 1, 2))
    assert not raw.is_working_day(D(2026, 1, 10))
    assert not raw.is_working_day(D(2026, 11, 24))
    assert raw.day_info(D(2025, 2, 1)).reason_code == "holiday"
    # docs/legal-basis.md §10: 5 working days from 31/12/2025 is 08/01 with the package,
    # 09/01 officially.
    assert raw.add_working_days(D(2025, 12, 31), 5) == D(2026, 1, 8)
    assert WorkingCalendar().add_working_days(D(2025, 12, 31), 5) == D(2026, 1, 9)


def test_only_one_off_corrections_keeps_culture_day() -> None:
    amended = WorkingCalendar(corrections=ONE_OFF_CORRECTIONS)
    assert not amended.is_working_day(D(2026, 11, 24))
    assert not amended.is_working_day(D(2026, 1, 2))


def test_builtin_corrections_are_documented() -> None:
    days = {c.day for c in BUILTIN_CORRECTIONS}
    assert {D(2026, 1, 2), D(2026, 1, 10), D(2026, 11, 24), D(2025, 2, 1)} <= days
    for correction in BUILTIN_CORRECTIONS:
        assert correction.note
        assert correction.source
        assert correction.note_en
        assert unicodedata.is_normalized("NFC", correction.note)


def test_days_off_2026(calendar: WorkingCalendar) -> None:
    listed = calendar.days_off(2026)
    assert [i.day for i in listed] == sorted(
        OFFICIAL_WEEKDAY_DAYS_OFF[2026] | {D(2026, 4, 26)}  # Hùng Kings on Sunday is listed
    )
    assert all(not i.working for i in listed)
    new_year = listed[0]
    assert new_year.name_vi == "Tết Dương lịch"
    assert new_year.name_en == "New Year's Day"
    assert new_year.source == f"holidays {holidays.__version__}"
    swap = listed[1]
    assert swap.reason_code == "override_day_off"
    assert swap.source.startswith("VPCP 12729/VPCP-KGVX")


def test_days_off_lists_weekend_holidays_but_not_plain_weekends(calendar: WorkingCalendar) -> None:
    days = [i.day for i in calendar.days_off(2024)]
    assert D(2024, 2, 10) in days  # Tết on a Saturday
    assert D(2024, 2, 17) not in days  # a plain Saturday
    assert days == sorted(days)


def test_holiday_names_in_both_languages(calendar: WorkingCalendar) -> None:
    for year in (2024, 2025, 2026):
        for info in calendar.days_off(year):
            assert info.name_vi and info.name_en, info
            assert unicodedata.is_normalized("NFC", info.name_vi)
    tet = calendar.day_info(D(2026, 2, 17))
    assert tet.name_vi == "Tết Nguyên Đán"
    assert tet.name_en == "Lunar New Year"


def test_labels_corrected(calendar: WorkingCalendar) -> None:
    # English substitution labels use DD/MM/YYYY like the Vietnamese ones.
    assert calendar.day_info(D(2025, 5, 2)).name_en == "Day off (substituted from 26/04/2025)"
    assert calendar.day_info(D(2024, 4, 29)).name_en == "Day off (substituted from 04/05/2024)"
    # 27/01/2025 was the 28th of the last lunar month (docs/legal-basis.md §10).
    assert calendar.day_info(D(2025, 1, 27)).name_vi == "28 Tết"
    makeup = calendar.day_info(D(2025, 4, 26))
    assert makeup.name_vi == "Làm bù cho ngày nghỉ 02/05/2025"
    assert makeup.name_en == "Make-up working day for the day off on 02/05/2025"


def test_label_tables_are_bilingual_and_nfc() -> None:
    tables = [REASON_LABELS, OVERRIDE_KIND_LABELS, POLICY_LABELS, dict(enumerate(WEEKDAY_LABELS))]
    for table in tables:
        for labels in table.values():
            assert set(labels) == {"vi", "en"}
            assert all(labels.values())
            assert unicodedata.is_normalized("NFC", labels["vi"])
    assert set(REASON_LABELS) == {
        "saturday",
        "sunday",
        "holiday",
        "override_day_off",
        "makeup_saturday",
        "override_working_day",
    }


# --- Overrides -------------------------------------------------------------------------------


def test_override_not_day_off_removes_a_holiday() -> None:
    c = WorkingCalendar([Override(D(2026, 4, 30), "not_day_off", "Thử nghiệm", "test")])
    assert c.day_info(D(2026, 4, 30)) == DayInfo(D(2026, 4, 30), True, None, None, None, None)
    assert D(2026, 4, 30) not in [i.day for i in c.days_off(2026)]


def test_override_not_day_off_on_weekend_leaves_a_weekend() -> None:
    c = WorkingCalendar([Override(D(2026, 4, 26), "not_day_off", "Thử nghiệm", "test")])
    assert c.day_info(D(2026, 4, 26)).reason_code == "sunday"
    assert not c.is_working_day(D(2026, 4, 26))


def test_override_day_off_adds_a_day_off() -> None:
    c = WorkingCalendar([Override(D(2026, 6, 15), "day_off", "Nghỉ theo UBND tỉnh", "QĐ 1/UBND")])
    info = c.day_info(D(2026, 6, 15))
    assert not info.working
    assert info.reason_code == "override_day_off"
    assert info.name_vi == "Nghỉ theo UBND tỉnh"
    assert info.name_en is None
    assert info.source == "QĐ 1/UBND"
    assert D(2026, 6, 15) in [i.day for i in c.days_off(2026)]


def test_override_working_day_adds_a_working_saturday() -> None:
    c = WorkingCalendar([Override(D(2026, 6, 13), "working_day", "Làm bù", "TB 2/BNV")])
    assert c.is_working_day(D(2026, 6, 13))
    assert c.day_info(D(2026, 6, 13)).reason_code == "override_working_day"
    assert D(2026, 6, 13) in [i.day for i in c.working_saturdays(2026)]


def test_override_wins_over_builtin_correction() -> None:
    c = WorkingCalendar([Override(D(2026, 11, 24), "day_off", "Ngày Văn hóa Việt Nam", "BLLĐ")])
    assert not c.is_working_day(D(2026, 11, 24))
    c = WorkingCalendar([Override(D(2026, 1, 2), "not_day_off", "Hủy hoán đổi", "test")])
    assert c.is_working_day(D(2026, 1, 2))


def test_last_override_for_a_day_wins() -> None:
    c = WorkingCalendar(
        [
            Override(D(2026, 6, 15), "day_off", "a", "x"),
            Override(D(2026, 6, 15), "working_day", "b", "y"),
        ]
    )
    assert c.is_working_day(D(2026, 6, 15))


def test_override_validation() -> None:
    with pytest.raises(ValueError, match="unknown override kind"):
        Override(D(2026, 1, 1), "holiday", "x", "y")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Override(datetime(2026, 1, 1, 8, 0), "day_off", "x", "y")
    with pytest.raises(TypeError):
        WorkingCalendar(["2026-01-01"])  # type: ignore[list-item]


# --- Navigation ------------------------------------------------------------------------------


def test_on_or_after_working_day(calendar: WorkingCalendar) -> None:
    assert calendar.on_or_after_working_day(D(2026, 3, 4)) == D(2026, 3, 4)
    assert calendar.on_or_after_working_day(D(2026, 2, 14)) == D(2026, 2, 23)
    assert calendar.on_or_after_working_day(D(2025, 4, 26)) == D(2025, 4, 26)


def test_add_working_days(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(D(2026, 2, 13), 0) == D(2026, 2, 13)
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    # docs/legal-basis.md worked example 4: the make-up Saturday 26/04/2025 counts.
    assert calendar.add_working_days(D(2025, 4, 24), 7) == D(2025, 5, 7)
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 1, 1), -1)


def test_crossing_year_boundary(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(D(2025, 12, 30), 2) == D(2026, 1, 5)


def test_non_working_days_between(calendar: WorkingCalendar) -> None:
    infos = calendar.non_working_days_between(D(2026, 2, 13), D(2026, 2, 23))
    assert [i.day for i in infos] == [D(2026, 2, d) for d in range(14, 23)]
    assert [i.reason_code for i in infos][:3] == ["saturday", "sunday", "holiday"]


def test_years_are_loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = holidays.country_holidays

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(holidays, "country_holidays", counting)
    c = WorkingCalendar()
    assert calls == []  # lazy
    for offset in range(365):
        c.is_working_day(D(2026, 1, 1) + timedelta(days=offset))
    c.day_info(D(2026, 5, 1))
    c.days_off(2026)
    first = len(calls)
    assert first > 0
    c.is_working_day(D(2026, 7, 1))
    assert len(calls) == first


# --- Monthly reception dates ------------------------------------------------------------------


def test_reception_day_15_next_working_day_2026(calendar: WorkingCalendar) -> None:
    assert monthly_reception_dates(2026, 15, "next_working_day", calendar) == [
        D(2026, 1, 15),
        D(2026, 2, 23),  # Sun 15/02 is inside the Tết break (docs/legal-basis.md worked example 1)
        D(2026, 3, 16),  # Sun 15/03
        D(2026, 4, 15),
        D(2026, 5, 15),
        D(2026, 6, 15),
        D(2026, 7, 15),
        D(2026, 8, 17),  # Sat 15/08
        D(2026, 9, 15),
        D(2026, 10, 15),
        D(2026, 11, 16),  # Sun 15/11
        D(2026, 12, 15),
    ]


def test_reception_weekday_after(calendar: WorkingCalendar) -> None:
    # Some departments move a reception day that is off to the following Tuesday.
    dates = monthly_reception_dates(2026, 15, "weekday_after", calendar, weekday=1, months=3)
    assert dates == [D(2026, 1, 15), D(2026, 2, 24), D(2026, 3, 17)]


def test_reception_weekday_after_skips_a_weekday_that_is_off(calendar: WorkingCalendar) -> None:
    # Day 29 of August 2026 is a Saturday; the next Tuesday, 01/09, is National Day.
    dates = monthly_reception_dates(
        2026, 29, "weekday_after", calendar, weekday=1, months=1, start_month=8
    )
    assert dates == [D(2026, 9, 8)]


def test_reception_day_31_uses_last_day_of_month(calendar: WorkingCalendar) -> None:
    dates = monthly_reception_dates(2026, 31, "next_working_day", calendar, months=4)
    # 31/01 Sat -> 02/02; 28/02 Sat -> 02/03; 31/03 Tue; 30/04 holiday -> 04/05.
    assert dates == [D(2026, 2, 2), D(2026, 3, 2), D(2026, 3, 31), D(2026, 5, 4)]


def test_reception_dates_cross_into_next_year(calendar: WorkingCalendar) -> None:
    dates = monthly_reception_dates(
        2025, 15, "next_working_day", calendar, months=3, start_month=11
    )
    assert dates == [D(2025, 11, 17), D(2025, 12, 15), D(2026, 1, 15)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"day_of_month": 0, "policy": "next_working_day"},
        {"day_of_month": 32, "policy": "next_working_day"},
        {"day_of_month": 15, "policy": "weekday_after"},
        {"day_of_month": 15, "policy": "weekday_after", "weekday": 7},
        {"day_of_month": 15, "policy": "sometimes"},
        {"day_of_month": 15, "policy": "next_working_day", "start_month": 13},
        {"day_of_month": 15, "policy": "next_working_day", "months": -1},
    ],
)
def test_reception_dates_invalid_arguments(calendar: WorkingCalendar, kwargs: dict) -> None:
    with pytest.raises(ValueError):
        monthly_reception_dates(2026, calendar=calendar, **kwargs)
