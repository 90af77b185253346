"""Reporting periods and the small arithmetic the statistics use."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import periods


def test_month_quarter_year_and_custom() -> None:
    assert periods.month(2024, 2) == periods.Period("month", date(2024, 2, 1), date(2024, 2, 29), 2)
    assert periods.quarter(2026, 4).start == date(2026, 10, 1)
    assert periods.quarter(2026, 4).end == date(2026, 12, 31)
    assert periods.year(2026).days == 365
    span = periods.custom(date(2025, 12, 20), date(2026, 2, 3))
    assert span.months() == [(2025, 12), (2026, 1), (2026, 2)]


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: periods.month(2026, 13), "bad_month"),
        (lambda: periods.quarter(2026, 0), "bad_quarter"),
        (lambda: periods.custom(date(2026, 2, 1), date(2026, 1, 31)), "end_before_start"),
        (lambda: periods.custom(date(2020, 1, 1), date(2026, 1, 1)), "too_long"),
        (lambda: periods.build("custom", year_number=2026), "missing_dates"),
        (lambda: periods.build("week", year_number=2026), "bad_kind"),
    ],
)
def test_refusals(call, code: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(periods.PeriodError) as refused:
        call()
    assert refused.value.code == code


def test_build_follows_the_form() -> None:
    assert periods.build("quarter", year_number=2026, number=2) == periods.quarter(2026, 2)
    assert periods.build("month", year_number=2026, number=7) == periods.month(2026, 7)
    assert periods.build("year", year_number=2025) == periods.year(2025)
    chosen = periods.build("custom", year_number=2026, start=date(2026, 1, 5), end=date(2026, 1, 9))
    assert chosen.days == 5


def test_quarter_of() -> None:
    assert [periods.quarter_of(date(2026, m, 1)) for m in (1, 3, 4, 9, 10, 12)] == [
        1,
        1,
        2,
        3,
        4,
        4,
    ]


def test_median_and_mean_of_a_histogram() -> None:
    assert periods.median({}) is None
    assert periods.mean({}) is None
    assert periods.median({10: 1, 11: 1, 31: 1}) == 11
    assert periods.median({2: 1, 10: 1, 11: 1, 31: 1}) == 10.5
    assert periods.mean({2: 1, 10: 1, 11: 1, 31: 1}) == 13.5
    assert periods.rate(1, 0) is None
    assert periods.rate(7, 8) == 0.875


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=60))
def test_median_matches_the_sorted_list(values: list[int]) -> None:
    import statistics

    histogram: dict[int, int] = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1
    assert periods.median(histogram) == statistics.median(values)
    assert periods.mean(histogram) == pytest.approx(statistics.mean(values))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_months_of_a_year_and_their_quarters(day: date) -> None:
    month = periods.month(day.year, day.month)
    assert month.start <= day <= month.end
    quarter = periods.quarter(day.year, periods.quarter_of(day))
    assert quarter.start <= day <= quarter.end
    assert (
        sum(periods.quarter(day.year, q).days for q in range(1, 5)) == periods.year(day.year).days
    )
