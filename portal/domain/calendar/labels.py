"""Vietnamese and English wording of the calendar's codes and of the weekdays."""

from __future__ import annotations

from typing import Final

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
