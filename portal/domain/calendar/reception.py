"""The Director's monthly citizen-reception dates (Law 42/2013 Art. 18(2))."""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta

from portal.domain.calendar.model import ReceptionPolicy
from portal.domain.calendar.working import WorkingCalendar


def _reception_date(day: date, calendar: WorkingCalendar, weekday: int | None) -> date:
    """``day`` if working, else the next working day (or the next working ``weekday``)."""
    if calendar.is_working_day(day):
        return day
    if weekday is None:
        return calendar.on_or_after_working_day(day)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    while not calendar.is_working_day(day):
        day += timedelta(days=7)
    return day


def monthly_reception_dates(
    year: int,
    day_of_month: int,
    policy: ReceptionPolicy,
    calendar: WorkingCalendar,
    *,
    weekday: int | None = None,
    months: int = 12,
    start_month: int = 1,
) -> list[date]:
    """The Director's monthly citizen-reception dates (Law 42/2013 Art. 18(2)).

    The session is on ``day_of_month`` (the last day of a shorter month). If that is not a
    working day, ``next_working_day`` moves it to the next working day, and
    ``weekday_after`` moves it to the first ``weekday`` (0 = Monday) on or after it that is
    a working day. One date per month, for ``months`` months from ``(year, start_month)``.
    """
    if not 1 <= day_of_month <= 31:
        raise ValueError(f"day_of_month must be 1..31, got {day_of_month}")
    if not 1 <= start_month <= 12:
        raise ValueError(f"start_month must be 1..12, got {start_month}")
    if months < 0:
        raise ValueError(f"months must not be negative, got {months}")
    if policy == "weekday_after":
        if weekday is None or not 0 <= weekday <= 6:
            raise ValueError("policy 'weekday_after' needs weekday in 0..6 (0 = Monday)")
        target_weekday: int | None = weekday
    elif policy == "next_working_day":
        target_weekday = None
    else:
        raise ValueError(f"unknown policy {policy!r}")

    result: list[date] = []
    for offset in range(months):
        y, m = divmod(start_month - 1 + offset, 12)
        y, m = year + y, m + 1
        last = _stdlib_calendar.monthrange(y, m)[1]
        day = date(y, m, min(day_of_month, last))
        result.append(_reception_date(day, calendar, target_weekday))
    return result
