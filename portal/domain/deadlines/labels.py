"""Vietnamese and English wording of the codes used by the deadline rules and results.

The rules and the computation only carry codes (units, confidence, variants, explanation
steps, error codes); the pages, the CLI and :mod:`portal.domain.explain` word them with these
tables, so both languages are kept side by side in one place.
"""

from __future__ import annotations

from typing import Final

UNIT_LABELS: Final[dict[str, dict[str, str]]] = {
    "days": {"vi": "ngày", "en": "days"},
    "working_days": {"vi": "ngày làm việc", "en": "working days"},
    "hours": {"vi": "giờ", "en": "hours"},
}

CONFIDENCE_LABELS: Final[dict[str, dict[str, str]]] = {
    "C": {"vi": "Đã xác nhận", "en": "Confirmed"},
    "R": {"vi": "Theo trí nhớ, cần đối chiếu văn bản", "en": "Recalled, check the text"},
    "U": {"vi": "Chưa xác nhận hoặc có mâu thuẫn", "en": "Unconfirmed or conflicting"},
    "D": {
        "vi": "Quy định riêng của Sở, luật không quy định thời hạn",
        "en": "The department's own rule: the law sets no time limit",
    },
}

VARIANT_LABELS: Final[dict[str, dict[str, str]]] = {
    "normal": {"vi": "Thông thường", "en": "Normal"},
    "complex": {"vi": "Vụ việc phức tạp", "en": "Complex case"},
    "remote": {"vi": "Vùng sâu, vùng xa", "en": "Remote area"},
    "remote_complex": {
        "vi": "Vùng sâu, vùng xa, vụ việc phức tạp",
        "en": "Remote area, complex case",
    },
    "multi_place": {"vi": "Xác minh ở nhiều nơi", "en": "Verification at several places"},
}

STEP_LABELS: Final[dict[str, dict[str, str]]] = {
    "start": {"vi": "Ngày bắt đầu (không tính)", "en": "Start (not counted)"},
    "period_end": {"vi": "Hết thời hạn ban đầu", "en": "End of the initial period"},
    "extension": {"vi": "Gia hạn", "en": "Extension"},
    "pause": {"vi": "Thời gian tạm dừng không tính", "en": "Paused time not counted"},
    "raw_end": {"vi": "Ngày cuối của thời hạn", "en": "Last day of the period"},
    "makeup_day_counted": {"vi": "Tính ngày làm bù", "en": "Make-up working day counted"},
    "skip": {"vi": "Bỏ qua ngày nghỉ", "en": "Day off skipped"},
    "moved_to_working_day": {
        "vi": "Chuyển sang ngày làm việc tiếp theo (Điều 148 Bộ luật Dân sự)",
        "en": "Moved to the next working day (Civil Code Art. 148)",
    },
    "due": {"vi": "Hạn cuối", "en": "Due"},
}
"""Step codes of :class:`Step`. Detail keys are described in :func:`due_date`."""

ERROR_LABELS: Final[dict[str, dict[str, str]]] = {
    "negative": {"vi": "{name} không được âm", "en": "{name} must not be negative"},
    "not_an_integer": {"vi": "{name} phải là số nguyên", "en": "{name} must be an integer"},
    "too_many_extensions": {
        "vi": "Quá số lần gia hạn cho phép ({allowed})",
        "en": "Too many extensions (at most {allowed})",
    },
    "datetime_required": {
        "vi": "Thời hạn tính theo giờ cần thời điểm (ngày và giờ)",
        "en": "An hour-based limit needs a date and time",
    },
    "date_required": {
        "vi": "Thời hạn tính theo ngày cần một ngày (không kèm giờ)",
        "en": "A day-based limit needs a date without a time",
    },
    "pause_not_supported": {
        "vi": "Không áp dụng tạm dừng cho thời hạn tính theo giờ",
        "en": "Pauses do not apply to hour-based limits",
    },
    "naive_datetime": {
        "vi": "Thời điểm phải có múi giờ",
        "en": "The moment must carry a time zone",
    },
    "unknown_convention": {
        "vi": "Quy ước ngày nhận không hợp lệ: {convention}",
        "en": "Unknown receipt-date convention: {convention}",
    },
}
"""Codes of :class:`DeadlineError`, with ``str.format`` templates over ``error.params``."""
