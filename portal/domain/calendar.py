"""Working-day calendar for a Vietnamese state agency.

A working day is Monday to Friday unless it is an official day off, plus the make-up
Saturdays ("đi làm bù") announced when the Government swaps days (Decision 188/1999/QĐ-TTg,
Labour Code 2019 Arts. 111-112).

Layers, each applied on top of the previous one:

1. Baseline: the pinned ``holidays`` package (``country_holidays("VN")``), including its
   make-up Saturdays (``weekend_workdays``).
2. Built-in corrections (:data:`BUILTIN_CORRECTIONS`): what the pinned package gets wrong
   according to the legal research (legal.md §7.4 and §10).
3. Overrides kept in the database by the administrators (extra days off, make-up working
   days, removed holidays). They win over both layers above, so an administrator can also
   undo a built-in correction (e.g. mark 24/11 as a day off once the Labour Code is amended).

Nothing here reads the clock: "today" is always an argument.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta, timezone, tzinfo
from typing import Final, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays


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

BASELINE_SOURCE: Final[str] = f"holidays {holidays.__version__}"
"""``source`` of days that come from the package, e.g. ``"holidays 0.108"``."""

REASON_LABELS: Final[dict[str, dict[str, str]]] = {
    "saturday": {"vi": "Thứ Bảy", "en": "Saturday"},
    "sunday": {"vi": "Chủ nhật", "en": "Sunday"},
    "holiday": {"vi": "Ngày nghỉ lễ, Tết", "en": "Public holiday"},
    "override_day_off": {"vi": "Ngày nghỉ bổ sung", "en": "Additional day off"},
    "makeup_saturday": {"vi": "Ngày làm bù", "en": "Make-up working day"},
    "override_working_day": {"vi": "Ngày làm việc bổ sung", "en": "Additional working day"},
}
"""Labels for :attr:`DayInfo.reason_code`, in Vietnamese and English."""

OVERRIDE_KIND_LABELS: Final[dict[str, dict[str, str]]] = {
    "day_off": {"vi": "Ngày nghỉ bổ sung", "en": "Extra day off"},
    "working_day": {"vi": "Ngày làm việc (làm bù)", "en": "Make-up working day"},
    "not_day_off": {"vi": "Không phải ngày nghỉ", "en": "Not a day off"},
}

POLICY_LABELS: Final[dict[str, dict[str, str]]] = {
    "next_working_day": {
        "vi": "Chuyển sang ngày làm việc tiếp theo",
        "en": "Move to the next working day",
    },
    "weekday_after": {
        "vi": "Chuyển sang thứ được chọn tiếp theo là ngày làm việc",
        "en": "Move to the next chosen weekday that is a working day",
    },
}

WEEKDAY_LABELS: Final[tuple[dict[str, str], ...]] = (
    {"vi": "Thứ Hai", "en": "Monday"},
    {"vi": "Thứ Ba", "en": "Tuesday"},
    {"vi": "Thứ Tư", "en": "Wednesday"},
    {"vi": "Thứ Năm", "en": "Thursday"},
    {"vi": "Thứ Sáu", "en": "Friday"},
    {"vi": "Thứ Bảy", "en": "Saturday"},
    {"vi": "Chủ nhật", "en": "Sunday"},
)

_DATE_IN_LABEL: Final = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")
_SATURDAY: Final = 5
_SUNDAY: Final = 6


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _english_name(name: str | None) -> str | None:
    """The package writes US dates (MM/DD/YYYY) in en_US labels; officials read DD/MM/YYYY."""
    if name is None:
        return None
    return _DATE_IN_LABEL.sub(r"\2/\1/\3", name)


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


_VPCP_2026_NEW_YEAR: Final = "VPCP 12729/VPCP-KGVX (25/12/2025)"
_LABOUR_CODE_NOT_AMENDED: Final = (
    "Bộ luật Lao động 2019 Điều 112 chưa sửa đổi (Nghị quyết 30/NQ-CP mới giao sửa đổi)"
)
_TET_2025: Final = "TB 6150/TB-BLĐTBXH; Thủ tướng đồng ý phương án nghỉ Tết 2025 (26/11/2024)"

CULTURE_DAY_LAST_YEAR: Final[int] = 2035
"""Last year for which the premature 24/11 holiday of the package is removed."""


def _culture_day_corrections(first: int, last: int) -> tuple[Override, ...]:
    """24/11 "Vietnam Cultural Day", which the package lists from 2026, and its observed day.

    The package moves it to the next Monday when it falls on a weekend (26/11 for a
    Saturday, 25/11 for a Sunday); that Monday must be removed as well.
    """
    note = "Ngày Văn hóa Việt Nam (24/11) chưa là ngày nghỉ lễ theo luật"
    note_en = "Vietnamese Culture Day (24/11) is not yet a statutory holiday"
    result: list[Override] = []
    for year in range(first, last + 1):
        culture_day = date(year, 11, 24)
        result.append(
            Override(culture_day, "not_day_off", _nfc(note), _LABOUR_CODE_NOT_AMENDED, note_en)
        )
        if culture_day.weekday() >= _SATURDAY:
            observed = culture_day + timedelta(days=7 - culture_day.weekday())
            result.append(
                Override(
                    observed,
                    "not_day_off",
                    _nfc(note + " (ngày nghỉ bù)"),
                    _LABOUR_CODE_NOT_AMENDED,
                    note_en + " (observed day)",
                )
            )
    return tuple(result)


ONE_OFF_CORRECTIONS: Final[tuple[Override, ...]] = (
    Override(
        date(2025, 2, 1),
        "not_day_off",
        _nfc(
            "Thứ Bảy 01/02/2025 không phải ngày nghỉ Tết theo luật: Tết 2025 nghỉ 2 ngày trước"
            " và 3 ngày sau (27/01-31/01); gói holidays ghi nhầm là mùng 4 Tết"
        ),
        _TET_2025,
        "Sat 01/02/2025 is not a statutory Tết day (2025 used 2 days before + 3 after,"
        " 27/01-31/01); the package lists it as the fourth day",
    ),
    Override(
        date(2026, 1, 2),
        "day_off",
        _nfc("Ngày nghỉ Tết Dương lịch (hoán đổi với Thứ Bảy 10/01/2026)"),
        _VPCP_2026_NEW_YEAR,
        "New Year holiday (swapped with Saturday 10/01/2026)",
    ),
    Override(
        date(2026, 1, 10),
        "working_day",
        _nfc("Làm bù cho ngày nghỉ 02/01/2026"),
        _VPCP_2026_NEW_YEAR,
        "Make-up working day for the day off on 02/01/2026",
    ),
)
"""Discrepancies between the pinned package and the official 2024-2026 schedules."""

CULTURE_DAY_CORRECTIONS: Final[tuple[Override, ...]] = _culture_day_corrections(
    2026, CULTURE_DAY_LAST_YEAR
)
"""Removal of 24/11 (and its observed Monday) for 2026..CULTURE_DAY_LAST_YEAR.

Once the Labour Code is amended, build the calendar with
``corrections=ONE_OFF_CORRECTIONS`` (or add ``day_off`` overrides for the years concerned).
"""

BUILTIN_CORRECTIONS: Final[tuple[Override, ...]] = ONE_OFF_CORRECTIONS + CULTURE_DAY_CORRECTIONS

BUILTIN_NAME_CORRECTIONS: Final[dict[date, tuple[str, str]]] = {
    date(2025, 1, 27): (
        _nfc("28 Tết"),
        "Lunar New Year holiday (28th of the 12th lunar month)",
    ),
}
"""Baseline labels that are wrong (legal.md §10 item 3); only the name changes."""


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
                day, (_nfc(name_vi), _english_name(names_en.get(day)))
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
                vi = en = None
                if off is not None:
                    vi = f"Làm bù cho ngày nghỉ {off:%d/%m/%Y}"
                    en = f"Make-up working day for the day off on {off:%d/%m/%Y}"
                special[day] = DayInfo(day, True, "makeup_saturday", vi, en, BASELINE_SOURCE)

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
            flags[index] = 1 if (weekday + index) % 7 < _SATURDAY else 0
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
        if weekday == _SATURDAY:
            return DayInfo(d, False, "saturday", None, None, None)
        if weekday == _SUNDAY:
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

    def non_working_days_between(self, after: date, until: date) -> list[DayInfo]:
        """Days off strictly after ``after`` and up to ``until`` inclusive, in order."""
        result: list[DayInfo] = []
        day = after + timedelta(days=1)
        while day <= until:
            if not self.is_working_day(day):
                result.append(self.day_info(day))
            day += timedelta(days=1)
        return result

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
            special[d] for d in sorted(special) if special[d].working and d.weekday() >= _SATURDAY
        ]


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
