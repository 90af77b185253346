"""A case's nearest deadline as a short text badge for lists ("Quá hạn 3 ngày", "Còn 2 ngày
làm việc"), from the same state as everywhere else (`deadlines.deadline_state`).

Overdue is counted in calendar days past the due day (a clock is overdue from the day after
it, whatever that day is); what is left before it, in working days, the unit in which "due
soon" is measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portal.domain.calendar import WorkingCalendar
from portal.domain.deadlines import deadline_state


@dataclass(frozen=True)
class DueBadge:
    state: str  # "overdue", "due_today", "due_soon"
    days: int  # overdue: calendar days past the due day; due soon: working days left


def working_days_left(today: date, due: date, calendar: WorkingCalendar) -> int:
    """Working days after `today` up to and including `due` (0 once it is past)."""
    return sum(
        1
        for offset in range(1, (due - today).days + 1)
        if calendar.is_working_day(today + timedelta(days=offset))
    )


def due_badge(
    due: date | None, today: date, calendar: WorkingCalendar, *, soon_working_days: int
) -> DueBadge | None:
    """The badge for a running clock due on `due`, or None when it is on time (or none runs)."""
    if due is None:
        return None
    state = deadline_state(due, today, calendar, soon_working_days=soon_working_days)
    if state == "overdue":
        return DueBadge("overdue", (today - due).days)
    if state == "due_soon":
        if due == today:
            return DueBadge("due_today", 0)
        return DueBadge("due_soon", working_days_left(today, due, calendar))
    return None
