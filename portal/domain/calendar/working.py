"""The working-day computation: :class:`WorkingCalendar` and its year tables.

The baseline is the pinned ``holidays`` package; built-in corrections (:mod:`.corrections`)
and the administrators' overrides are applied on top of it.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version
from typing import Final

import holidays

from portal.domain.calendar.corrections import BUILTIN_CORRECTIONS, BUILTIN_NAME_CORRECTIONS
from portal.domain.calendar.model import SATURDAY, SUNDAY, DayInfo, Override, nfc

BASELINE_SOURCE: Final[str] = f"holidays {version('holidays')}"
"""``source`` of days that come from the package, e.g. ``"holidays 0.108"``."""

_DATE_IN_LABEL: Final = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


def _english_name(name: str | None) -> str | None:
    """The package writes US dates (MM/DD/YYYY) in en_US labels; officials read DD/MM/YYYY."""
    if name is None:
        return None
    return _DATE_IN_LABEL.sub(r"\2/\1/\3", name)


@dataclass(frozen=True)
class _Year:
    """Everything about one year, precomputed so that lookups are O(1)."""

    first_ordinal: int
    working: bytes  # one flag per day of the year: 1 = working day
    special: dict[date, DayInfo]  # days that are not ordinary weekdays/weekends


class WorkingCalendar:
    """Working days of the department: baseline + built-in corrections + overrides.

    Years are loaded lazily on first use and cached, so that after the first lookup in a year
    :meth:`is_working_day` is a single index into a byte string. One instance can be shared
    for a bulk recomputation; build a new one when the overrides change.

    When several overrides name the same day, the last one wins; overrides always win over
    the built-in corrections.
    """

    def __init__(
        self,
        overrides: Iterable[Override] = (),
        *,
        corrections: Iterable[Override] = BUILTIN_CORRECTIONS,
    ) -> None:
        by_day: dict[date, Override] = {}
        for override in (*corrections, *overrides):
            if not isinstance(override, Override):
                raise TypeError(f"expected Override, got {type(override).__name__}")
            by_day[override.day] = override
        self._overrides: dict[int, dict[date, Override]] = {}
        for day, override in by_day.items():
            self._overrides.setdefault(day.year, {})[day] = override
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        loaded = self._years.get(year)
        if loaded is None:
            loaded = self._years[year] = self._load(year)
        return loaded

    def _load(self, year: int) -> _Year:
        names_vi = holidays.country_holidays("VN", years=year, language="vi")
        names_en = holidays.country_holidays("VN", years=year, language="en_US")
        special: dict[date, DayInfo] = {}
        for day, name_vi in names_vi.items():
            if day.year != year:
                continue
            vi, en = BUILTIN_NAME_CORRECTIONS.get(
                day, (nfc(name_vi), _english_name(names_en.get(day)))
            )
            special[day] = DayInfo(day, False, "holiday", vi, en, BASELINE_SOURCE)
        swapped_off_day = {
            date(int(m[3]), int(m[2]), int(m[1])): day
            for day, name in names_vi.items()
            if (m := _DATE_IN_LABEL.search(name))
        }
        for day in names_vi.weekend_workdays:
            if day.year == year:
                off = swapped_off_day.get(day)
                makeup_vi: str | None = None
                makeup_en: str | None = None
                if off is not None:
                    makeup_vi = f"Làm bù cho ngày nghỉ {off:%d/%m/%Y}"
                    makeup_en = f"Make-up working day for the day off on {off:%d/%m/%Y}"
                special[day] = DayInfo(
                    day, True, "makeup_saturday", makeup_vi, makeup_en, BASELINE_SOURCE
                )

        for day, override in self._overrides.get(year, {}).items():
            if override.kind == "not_day_off":
                baseline = special.get(day)
                if baseline is not None and not baseline.working:
                    del special[day]
            elif override.kind == "day_off":
                special[day] = DayInfo(
                    day, False, "override_day_off", override.note, override.note_en, override.source
                )
            else:
                special[day] = DayInfo(
                    day,
                    True,
                    "override_working_day",
                    override.note,
                    override.note_en,
                    override.source,
                )

        first = date(year, 1, 1)
        length = 366 if _stdlib_calendar.isleap(year) else 365
        flags = bytearray(length)
        weekday = first.weekday()
        for index in range(length):
            flags[index] = 1 if (weekday + index) % 7 < SATURDAY else 0
        for day, info in special.items():
            flags[(day - first).days] = 1 if info.working else 0
        return _Year(first.toordinal(), bytes(flags), special)

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day. O(1) once the year is loaded."""
        year = self._years.get(d.year) or self._year(d.year)
        return year.working[d.toordinal() - year.first_ordinal] == 1

    def day_info(self, d: date) -> DayInfo:
        """The status of ``d`` with the reason code, names and source."""
        special = self._year(d.year).special.get(d)
        if special is not None:
            return special
        weekday = d.weekday()
        if weekday == SATURDAY:
            return DayInfo(d, False, "saturday", None, None, None)
        if weekday == SUNDAY:
            return DayInfo(d, False, "sunday", None, None, None)
        return DayInfo(d, True, None, None, None, None)

    def on_or_after_working_day(self, d: date) -> date:
        """``d`` if it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``; ``start`` itself is never counted.

        ``add_working_days(d, 1)`` is the next working day after ``d``; ``n == 0`` returns
        ``start`` unchanged.
        """
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        day = start
        one = timedelta(days=1)
        while n:
            day += one
            if self.is_working_day(day):
                n -= 1
        return day

    def days_between(self, after: date, until: date) -> Iterator[DayInfo]:
        """Every day strictly after ``after`` and up to ``until`` inclusive, in order."""
        day = after + timedelta(days=1)
        while day <= until:
            yield self.day_info(day)
            day += timedelta(days=1)

    def non_working_days_between(self, after: date, until: date) -> list[DayInfo]:
        """Days off strictly after ``after`` and up to ``until`` inclusive, in order."""
        return [info for info in self.days_between(after, until) if not info.working]

    def days_off(self, year: int) -> list[DayInfo]:
        """Holidays and override days off of ``year``, sorted.

        Plain Saturdays and Sundays are not listed; a holiday that falls on a weekend is.
        """
        special = self._year(year).special
        return [special[d] for d in sorted(special) if not special[d].working]

    def working_saturdays(self, year: int) -> list[DayInfo]:
        """Weekend days of ``year`` that are working days (make-up days), sorted.

        A Sunday made a working day by an override is listed too.
        """
        special = self._year(year).special
        return [
            special[d] for d in sorted(special) if special[d].working and d.weekday() >= SATURDAY
        ]
