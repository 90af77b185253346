"""Reporting periods: a month, a quarter, a year or any span of days, both ends included.

Pure Python: the statistics service takes a period's first and last day; views turn a
period into words with `label_parts`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Final

KINDS: Final = ("month", "quarter", "year", "custom")
MAX_CUSTOM_DAYS: Final = 3 * 366


class PeriodError(ValueError):
    """The period cannot be built; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date
    number: int | None = None  # the month (1-12) or quarter (1-4)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> list[tuple[int, int]]:
        return months_between(self.start, self.end)


def month(year: int, number: int) -> Period:
    if not 1 <= number <= 12:
        raise PeriodError("bad_month")
    last = calendar.monthrange(year, number)[1]
    return Period("month", date(year, number, 1), date(year, number, last), number)


def quarter(year: int, number: int) -> Period:
    if not 1 <= number <= 4:
        raise PeriodError("bad_quarter")
    first = 3 * (number - 1) + 1
    end = month(year, first + 2).end
    return Period("quarter", date(year, first, 1), end, number)


def year(number: int) -> Period:
    return Period("year", date(number, 1, 1), date(number, 12, 31))


def custom(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError("end_before_start")
    if (end - start).days + 1 > MAX_CUSTOM_DAYS:
        raise PeriodError("too_long")
    return Period("custom", start, end)


def build(
    kind: str,
    *,
    year_number: int,
    number: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Period:
    """The period a form asked for."""
    if kind == "month":
        return month(year_number, number or 1)
    if kind == "quarter":
        return quarter(year_number, number or 1)
    if kind == "year":
        return year(year_number)
    if kind == "custom":
        if start is None or end is None:
            raise PeriodError("missing_dates")
        return custom(start, end)
    raise PeriodError("bad_kind")


def months_between(start: date, end: date) -> list[tuple[int, int]]:
    """(year, month) of every month the days start..end touch, in order."""
    result = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        result.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def median(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many times}; None when there are none."""
    total = sum(histogram.values())
    if total == 0:
        return None
    wanted = [(total - 1) // 2, total // 2]  # positions of the middle value(s), from 0
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return (found[0] + found[1]) / 2


def mean(histogram: dict[int, int]) -> float | None:
    total = sum(histogram.values())
    if total == 0:
        return None
    return sum(value * count for value, count in histogram.items()) / total


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide."""
    return part / whole if whole else None
