"""The vocabulary of the calendar: Vietnam's time zone, overrides and what a day is.

:class:`Override` is one correction of the baseline (built in, see :mod:`.corrections`, or kept
in the database by the administrators); :class:`DayInfo` is what
:class:`~portal.domain.calendar.working.WorkingCalendar` answers about a day.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta, timezone, tzinfo
from typing import Final, Literal, cast, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _vietnam_tz() -> tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # no tz database: Vietnam has used UTC+7 without DST since 1975
        return timezone(timedelta(hours=7), "ICT")


# Vietnam's time: the days the law counts and everything shown to people are in it.
VIETNAM_TZ: Final[tzinfo] = _vietnam_tz()

OverrideKind = Literal["day_off", "working_day", "not_day_off"]
ReceptionPolicy = Literal["next_working_day", "weekday_after"]

OVERRIDE_KINDS: Final[tuple[str, ...]] = get_args(OverrideKind)


def override_kind(text: str) -> OverrideKind:
    """The override kind named by `text` (a database column or a form), or ValueError."""
    for kind in get_args(OverrideKind):
        if kind == text:
            return cast(OverrideKind, kind)
    raise ValueError(f"unknown override kind {text!r}; expected one of {OVERRIDE_KINDS}")


SATURDAY: Final = 5
SUNDAY: Final = 6


def nfc(text: str) -> str:
    """Vietnamese text in one Unicode form, so that equal words compare equal."""
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Override:
    """One calendar override: a row of the ``CalendarOverride`` table, passed in by the app.

    ``note`` is Vietnamese free text shown as the day's name. ``note_en`` is optional (the
    database does not have it); the built-in corrections set it.
    """

    day: date
    kind: OverrideKind
    note: str
    source: str
    note_en: str | None = None

    def __post_init__(self) -> None:
        if type(self.day) is not date:
            raise TypeError(f"Override.day must be a date, got {type(self.day).__name__}")
        if self.kind not in OVERRIDE_KINDS:
            raise ValueError(
                f"unknown override kind {self.kind!r}; expected one of {OVERRIDE_KINDS}"
            )


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says about one day, with the reason as a code.

    ``reason_code`` is one of ``saturday``, ``sunday``, ``holiday``, ``override_day_off``
    when ``working`` is false; ``makeup_saturday`` or ``override_working_day`` for a
    working day that would otherwise be off; ``None`` for an ordinary working weekday.
    """

    day: date
    working: bool
    reason_code: str | None
    name_vi: str | None
    name_en: str | None
    source: str | None
