"""The computation: due dates of the rules, with extensions, pauses and their explanation.

Counting follows the Civil Code 2015 Arts. 147-148 (docs/legal-basis.md §7.1):

* ``days``: the start day is not counted; the raw end is ``start + length`` (plus extensions,
  each added to the raw end of the previous period, plus paused days); if the raw end is not a
  working day the limit ends on the next working day. A make-up Saturday is a working day.
* ``working_days``: only working days after the start are counted (make-up Saturdays count).
* ``hours``: elapsed time from the moment of the trigger, never shifted for days off.

Every result carries structured explanation steps (codes, dates and parameters) rather than
prose; :mod:`.labels` words them. Also here: the receipt date that starts a web submission's
clock and where a clock stands today.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from portal.domain.calendar import VIETNAM_TZ, DayInfo, WorkingCalendar
from portal.domain.deadlines.model import (
    Computation,
    DeadlineError,
    ReceiptConvention,
    Rule,
    Step,
)


def _check_count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DeadlineError("not_an_integer", f"{name} must be an integer", name=name)
    if value < 0:
        raise DeadlineError("negative", f"{name} must not be negative, got {value}", name=name)
    return value


def _variant(rule: Rule, complex_case: bool, remote: bool, multi_place: bool) -> tuple[str, int]:
    """The variant that applies and its length; flags without a variant in the rule are
    ignored, so the app can pass a case's flags to every rule."""
    candidates: list[tuple[bool, str, int | None]] = [
        (multi_place, "multi_place", rule.multi_place_length),
        (remote and complex_case, "remote_complex", rule.remote_complex_length),
        (remote, "remote", rule.remote_length),
        (complex_case, "complex", rule.complex_length),
    ]
    for applies, name, length in candidates:
        if applies and length is not None:
            return name, length
    return "normal", rule.length


def _day_detail(info: DayInfo) -> dict[str, str | int]:
    detail: dict[str, str | int] = {"weekday": info.day.weekday()}
    if info.reason_code is not None:
        detail["reason_code"] = info.reason_code
    if info.name_vi is not None:
        detail["name_vi"] = info.name_vi
    if info.name_en is not None:
        detail["name_en"] = info.name_en
    if info.source is not None:
        detail["source"] = info.source
    return detail


def due_date(
    rule: Rule,
    start: date | datetime,
    calendar: WorkingCalendar,
    *,
    complex: bool = False,
    very_complex: bool = False,
    remote: bool = False,
    multi_place: bool = False,
    extensions: int = 0,
    paused_days: int = 0,
    explain: bool = True,
) -> Computation:
    """Compute the due date of ``rule`` counted from ``start`` (the trigger day, not counted).

    ``very_complex`` implies ``complex``. Variant flags the rule has no length for are
    ignored (e.g. ``remote`` for ``complaint.accept``). ``paused_days`` are days not counted
    (suspension, objective obstacles): calendar days for ``days`` rules, working days for
    ``working_days`` rules; not allowed for ``hours`` rules.

    Steps, in order: ``start`` (detail ``unit``, ``length``, ``variant``); for
    ``working_days`` rules, each day off passed over (``skip``) and each make-up day counted
    (``makeup_day_counted``); ``period_end`` if extensions or pauses follow; ``extension``
    (``number``, ``length``) and ``pause`` (``length``); ``raw_end`` (``length`` = total);
    for ``days`` rules ending on a day off, one ``skip`` per day off then
    ``moved_to_working_day`` (``from``, ``days``); finally ``due``. Day steps carry
    ``weekday`` and, when known, ``reason_code``, ``name_vi``, ``name_en``, ``source``.

    ``explain=False`` returns ``steps=()``, for bulk recomputation where only dates matter.

    Raises :class:`DeadlineError` for negative numbers, too many extensions, a ``date`` for
    an ``hours`` rule, a ``datetime`` for a day-based rule, or a pause on an ``hours`` rule.
    """
    extensions = _check_count("extensions", extensions)
    paused_days = _check_count("paused_days", paused_days)
    complex_case = complex or very_complex
    if very_complex:
        allowed = rule.max_extensions_very_complex
    elif complex_case:
        allowed = rule.max_extensions_complex
    else:
        allowed = rule.max_extensions
    if rule.extension_length is None:
        allowed = 0
    if extensions > allowed:
        raise DeadlineError(
            "too_many_extensions",
            f"{rule.id}: {extensions} extension(s) asked, at most {allowed} allowed",
            allowed=allowed,
            asked=extensions,
        )
    variant, length = _variant(rule, complex_case, remote, multi_place)
    extension_length = rule.extension_length or 0
    total = length + extensions * extension_length + paused_days

    if rule.unit == "hours":
        if not isinstance(start, datetime):
            raise DeadlineError("datetime_required", f"{rule.id} is counted in hours")
        if paused_days:
            raise DeadlineError("pause_not_supported", f"{rule.id} is counted in hours")
        due_moment = _add_hours(start, total)
        steps = (
            (
                Step("start", start, {"unit": rule.unit, "length": length, "variant": variant}),
                Step("raw_end", due_moment, {"length": total}),
                Step("due", due_moment, {}),
            )
            if explain
            else ()
        )
        return Computation(rule.id, start, due_moment, due_moment, total, rule.unit, steps)

    if isinstance(start, datetime):
        raise DeadlineError("date_required", f"{rule.id} is counted in days; pass a date")
    if not explain:
        if rule.unit == "days":
            raw_end = start + timedelta(days=total)
            due = calendar.on_or_after_working_day(raw_end)
        else:
            raw_end = due = calendar.add_working_days(start, total)
        return Computation(rule.id, start, raw_end, due, total, rule.unit, ())

    out: list[Step] = [
        Step("start", start, {"unit": rule.unit, "length": length, "variant": variant}),
    ]
    segments: list[tuple[str, int, dict[str, str | int]]] = []
    if extensions or paused_days:
        segments.append(("period_end", length, {"length": length}))
        segments.extend(
            ("extension", extension_length, {"number": n, "length": extension_length})
            for n in range(1, extensions + 1)
        )
        if paused_days:
            segments.append(("pause", paused_days, {"length": paused_days}))
    else:
        segments.append(("", length, {}))

    end = start
    if rule.unit == "days":
        for code, amount, detail in segments:
            end += timedelta(days=amount)
            if code:
                out.append(Step(code, end, detail))
        raw_end = end
        out.append(Step("raw_end", raw_end, {"length": total}))
        due = calendar.on_or_after_working_day(raw_end)
        if due != raw_end:
            skipped = calendar.non_working_days_between(raw_end - timedelta(days=1), due)
            out.extend(Step("skip", info.day, _day_detail(info)) for info in skipped)
            out.append(
                Step(
                    "moved_to_working_day",
                    due,
                    {"from": raw_end.isoformat(), "days": (due - raw_end).days},
                )
            )
    else:
        for code, amount, detail in segments:
            end = _count_working_days(end, amount, calendar, out)
            if code:
                out.append(Step(code, end, detail))
        raw_end = due = end
        out.append(Step("raw_end", raw_end, {"length": total}))
    out.append(Step("due", due, _day_detail(calendar.day_info(due))))
    return Computation(rule.id, start, raw_end, due, total, rule.unit, tuple(out))


def _count_working_days(start: date, n: int, calendar: WorkingCalendar, out: list[Step]) -> date:
    """:meth:`WorkingCalendar.add_working_days`, recording the days off passed over and the
    make-up days counted on the way, in date order."""
    end = calendar.add_working_days(start, n)
    for info in calendar.days_between(start, end):
        if not info.working:
            out.append(Step("skip", info.day, _day_detail(info)))
        elif info.day.weekday() >= 5:
            out.append(Step("makeup_day_counted", info.day, _day_detail(info)))
    return end


def _add_hours(start: datetime, hours: int) -> datetime:
    """Elapsed hours: aware moments are added in UTC so that clock changes cannot bite."""
    if start.tzinfo is None or start.utcoffset() is None:
        return start + timedelta(hours=hours)
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(start.tzinfo)


def alternative_due_date(
    rule: Rule, start: date, calendar: WorkingCalendar, **options: Any
) -> Computation | None:
    """The due date in the rule's ``alternative_unit`` (None when the unit is certain).

    docs/legal-basis.md recommends showing it as a secondary marker where the unit is uncertain.
    Accepts the same keyword options as :func:`due_date`.
    """
    if rule.alternative_unit is None:
        return None
    swapped = replace(rule, unit=rule.alternative_unit, alternative_unit=rule.unit)
    return due_date(swapped, start, calendar, **options)


def receipt_date(
    submitted_at: datetime,
    calendar: WorkingCalendar,
    convention: ReceiptConvention = "submission_date",
) -> date:
    """The receipt date of a web submission, which starts the clock.

    ``submitted_at`` must be aware; it is converted to Vietnam time first. With
    ``submission_date`` (the default, the earlier and safer date) the local date is the
    receipt date even on a day off; with ``next_working_day`` a submission on a day off is
    taken as received on the next working day. Working hours are not modelled.
    """
    if submitted_at.tzinfo is None or submitted_at.utcoffset() is None:
        raise DeadlineError("naive_datetime", "submitted_at must be timezone-aware")
    local = submitted_at.astimezone(VIETNAM_TZ).date()
    if convention == "submission_date":
        return local
    if convention == "next_working_day":
        return calendar.on_or_after_working_day(local)
    raise DeadlineError(
        "unknown_convention", f"unknown convention {convention!r}", convention=str(convention)
    )


DeadlineState = Literal["met", "on_time", "due_soon", "overdue"]


def deadline_state(
    due: date,
    today: date,
    calendar: WorkingCalendar,
    *,
    met_on: date | None = None,
    soon_working_days: int = 3,
) -> DeadlineState:
    """Where a clock stands today: met, on time, due soon (within N working days) or overdue."""
    if met_on is not None:
        return "met"
    if today > due:
        return "overdue"
    if due <= calendar.add_working_days(today, soon_working_days):
        return "due_soon"
    return "on_time"
