"""Built-in corrections: where the pinned ``holidays`` package disagrees with the official
holiday and Tết schedules (docs/legal-basis.md §7.4 and §10).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from portal.domain.calendar.model import SATURDAY, Override, nfc

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
            Override(culture_day, "not_day_off", nfc(note), _LABOUR_CODE_NOT_AMENDED, note_en)
        )
        if culture_day.weekday() >= SATURDAY:
            observed = culture_day + timedelta(days=7 - culture_day.weekday())
            result.append(
                Override(
                    observed,
                    "not_day_off",
                    nfc(note + " (ngày nghỉ bù)"),
                    _LABOUR_CODE_NOT_AMENDED,
                    note_en + " (observed day)",
                )
            )
    return tuple(result)


ONE_OFF_CORRECTIONS: Final[tuple[Override, ...]] = (
    Override(
        date(2025, 2, 1),
        "not_day_off",
        nfc(
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
        nfc("Ngày nghỉ Tết Dương lịch (hoán đổi với Thứ Bảy 10/01/2026)"),
        _VPCP_2026_NEW_YEAR,
        "New Year holiday (swapped with Saturday 10/01/2026)",
    ),
    Override(
        date(2026, 1, 10),
        "working_day",
        nfc("Làm bù cho ngày nghỉ 02/01/2026"),
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
        nfc("28 Tết"),
        "Lunar New Year holiday (28th of the 12th lunar month)",
    ),
}
"""Baseline labels that are wrong (docs/legal-basis.md §10 item 3); only the name changes."""
