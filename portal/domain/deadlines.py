"""Statutory time limits and how their due dates are computed.

Counting follows the Civil Code 2015 Arts. 147-148 (legal.md §7.1):

* ``days``: the start day is not counted; the raw end is ``start + length`` (plus extensions,
  each added to the raw end of the previous period, plus paused days); if the raw end is not a
  working day the limit ends on the next working day. A make-up Saturday is a working day.
* ``working_days``: only working days after the start are counted (make-up Saturdays count).
* ``hours``: elapsed time from the moment of the trigger, never shifted for days off.

Every result carries structured explanation steps (codes, dates and parameters) rather than
prose; :data:`STEP_LABELS` and the other label tables give Vietnamese and English wording.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final, Literal, get_args

from portal.domain.calendar import VIETNAM_TZ, DayInfo, WorkingCalendar

Unit = Literal["days", "working_days", "hours"]
Confidence = Literal["C", "R", "U"]
ReceiptConvention = Literal["submission_date", "next_working_day"]

UNITS: Final[tuple[str, ...]] = get_args(Unit)
CONFIDENCES: Final[tuple[str, ...]] = get_args(Confidence)
RECEIPT_CONVENTIONS: Final[tuple[str, ...]] = get_args(ReceiptConvention)

UNIT_LABELS: Final[dict[str, dict[str, str]]] = {
    "days": {"vi": "ngày", "en": "days"},
    "working_days": {"vi": "ngày làm việc", "en": "working days"},
    "hours": {"vi": "giờ", "en": "hours"},
}

CONFIDENCE_LABELS: Final[dict[str, dict[str, str]]] = {
    "C": {"vi": "Đã xác nhận", "en": "Confirmed"},
    "R": {"vi": "Theo trí nhớ, cần đối chiếu văn bản", "en": "Recalled, check the text"},
    "U": {"vi": "Chưa xác nhận hoặc có mâu thuẫn", "en": "Unconfirmed or conflicting"},
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


class DeadlineError(ValueError):
    """A deadline cannot be computed as asked. ``code`` is a key of :data:`ERROR_LABELS`."""

    def __init__(self, code: str, message: str, **params: str | int) -> None:
        super().__init__(message)
        self.code = code
        self.params: dict[str, str | int] = params


class RulesFileError(ValueError):
    """The deployment rules file is invalid; the message names the offending key."""


@dataclass(frozen=True)
class Rule:
    """One statutory time limit. ``*_length`` variants and extensions use the same unit.

    ``confidence`` is the weakest status in legal.md for the rule (length or unit).
    ``alternative_unit`` is set where the unit itself is uncertain: the app may show the
    date computed in that unit as a secondary marker (:func:`alternative_due_date`).
    """

    id: str
    title_vi: str
    title_en: str
    starts_vi: str
    starts_en: str
    length: int
    unit: Unit
    complex_length: int | None
    remote_length: int | None
    remote_complex_length: int | None
    multi_place_length: int | None
    extension_length: int | None
    max_extensions: int
    max_extensions_complex: int
    max_extensions_very_complex: int
    legal_basis: str
    confidence: Confidence
    alternative_unit: Unit | None
    note_vi: str
    note_en: str


@dataclass(frozen=True)
class Step:
    """One line of the explanation of a computation.

    ``day`` is a ``date`` (a ``datetime`` for hour-based rules). ``detail`` holds parameters
    such as ``length``, ``reason_code``, ``name_vi``/``name_en`` (absent when unknown).
    """

    code: str
    day: date | None
    detail: Mapping[str, str | int]


@dataclass(frozen=True)
class Computation:
    """The result of :func:`due_date`.

    ``length`` is the total number of units counted: the chosen variant plus extensions plus
    paused days. ``raw_end`` is the last day before any move to a working day.
    """

    rule_id: str
    start: date | datetime
    raw_end: date | datetime
    due: date | datetime
    length: int
    unit: Unit
    steps: tuple[Step, ...]


def _rule(
    rule_id: str,
    *,
    title_vi: str,
    title_en: str,
    starts_vi: str,
    starts_en: str,
    length: int,
    unit: Unit,
    legal_basis: str,
    confidence: Confidence,
    complex_length: int | None = None,
    remote_length: int | None = None,
    remote_complex_length: int | None = None,
    multi_place_length: int | None = None,
    extension_length: int | None = None,
    max_extensions: int = 0,
    max_extensions_complex: int = 0,
    max_extensions_very_complex: int = 0,
    alternative_unit: Unit | None = None,
    note_vi: str = "",
    note_en: str = "",
) -> Rule:
    def nfc(text: str) -> str:
        return unicodedata.normalize("NFC", text)

    return Rule(
        id=rule_id,
        title_vi=nfc(title_vi),
        title_en=title_en,
        starts_vi=nfc(starts_vi),
        starts_en=starts_en,
        length=length,
        unit=unit,
        complex_length=complex_length,
        remote_length=remote_length,
        remote_complex_length=remote_complex_length,
        multi_place_length=multi_place_length,
        extension_length=extension_length,
        max_extensions=max_extensions,
        max_extensions_complex=max_extensions_complex,
        max_extensions_very_complex=max_extensions_very_complex,
        legal_basis=nfc(legal_basis),
        confidence=confidence,
        alternative_unit=alternative_unit,
        note_vi=nfc(note_vi),
        note_en=note_en,
    )


_COMPLAINTS_LAW: Final = "Luật Khiếu nại 02/2011/QH13"
_DENUNCIATIONS_LAW: Final = "Luật Tố cáo 25/2018/QH14"
_DECREE_124: Final = "Nghị định 124/2020/NĐ-CP"
_DECREE_356: Final = "Nghị định 356/2025/NĐ-CP"
_RECEIPT_VI: Final = "Ngày nhận được"
_UNIT_UNCERTAIN_VI: Final = (
    "Luật ghi “ngày”; thủ tục hành chính ghi “ngày làm việc”. Mặc định tính ngày lịch"
    " (hạn sớm hơn, an toàn hơn); hạn theo ngày làm việc là mốc phụ."
)
_UNIT_UNCERTAIN_EN: Final = (
    "The law says “days”; administrative-procedure records say “working days”. Calendar days"
    " by default (the earlier, safer date); the working-day date is a secondary marker."
)

_RULE_LIST: Final[tuple[Rule, ...]] = (
    _rule(
        "letter.process",
        title_vi="Phân loại, xử lý đơn",
        title_en="Classify and act on an incoming letter",
        starts_vi="Ngày tiếp nhận đơn",
        starts_en="Receipt of the letter",
        length=10,
        unit="working_days",
        legal_basis="Thông tư 05/2021/TT-TTCP",
        confidence="U",
        alternative_unit="days",
        note_vi=(
            "Kế thừa quy định của Thông tư 07/2014/TT-TTCP; chưa tra được điều khoản cụ thể."
            " Đơn tố cáo theo thời hạn 7 ngày làm việc của Luật Tố cáo."
        ),
        note_en=(
            "Carried over from Circular 07/2014/TT-TTCP; the article was not retrieved."
            " Denunciations follow the 7-working-day limit of the Law on Denunciations."
        ),
    ),
    _rule(
        "reception.reply",
        title_vi="Trả lời công dân sau khi tiếp công dân",
        title_en="Answer a citizen after a reception",
        starts_vi="Ngày tiếp nhận nội dung tại buổi tiếp công dân",
        starts_en="Receipt of the matter at the reception",
        length=10,
        unit="days",
        legal_basis="Luật Tiếp công dân 42/2013/QH13, Điều 28 khoản 2",
        confidence="U",
        alternative_unit="working_days",
        note_vi=_UNIT_UNCERTAIN_VI + " Có thể thay đổi từ 01/7/2026 (Luật 136/2025/QH15).",
        note_en=_UNIT_UNCERTAIN_EN + " May change from 1 Jul 2026 (Law 136/2025/QH15).",
    ),
    _rule(
        "complaint.limitation",
        title_vi="Thời hiệu khiếu nại",
        title_en="Time limit to file a complaint",
        starts_vi="Ngày nhận được hoặc biết được quyết định, hành vi hành chính",
        starts_en="Receipt or knowledge of the administrative decision or act",
        length=90,
        unit="days",
        legal_basis=f"{_COMPLAINTS_LAW}, Điều 9",
        confidence="C",
        note_vi=(
            "Thời gian có trở ngại khách quan (ốm đau, thiên tai, địch họa, đi công tác,"
            " học tập ở nơi xa…) không tính vào thời hiệu: nhập số ngày tạm dừng."
        ),
        note_en=(
            "Time lost to objective obstacles (illness, disaster, war, travel, study…) is not"
            " counted: enter it as paused days."
        ),
    ),
    _rule(
        "complaint.accept",
        title_vi="Thụ lý hoặc từ chối thụ lý khiếu nại lần đầu",
        title_en="Accept or refuse a first complaint",
        starts_vi="Ngày nhận được đơn khiếu nại",
        starts_en="Receipt of the complaint",
        length=10,
        unit="days",
        legal_basis=f"{_COMPLAINTS_LAW}, Điều 27",
        confidence="U",
        alternative_unit="working_days",
        note_vi=_UNIT_UNCERTAIN_VI,
        note_en=_UNIT_UNCERTAIN_EN,
    ),
    _rule(
        "complaint.resolve",
        title_vi="Giải quyết khiếu nại lần đầu",
        title_en="Resolve a first complaint",
        starts_vi="Ngày thụ lý",
        starts_en="Acceptance of the complaint",
        length=30,
        unit="days",
        complex_length=45,
        remote_length=45,
        remote_complex_length=60,
        legal_basis=f"{_COMPLAINTS_LAW}, Điều 28",
        confidence="C",
    ),
    _rule(
        "complaint.second_window",
        title_vi="Thời hạn khiếu nại lần hai",
        title_en="Time limit to file a second complaint",
        starts_vi=(
            "Ngày hết thời hạn giải quyết lần đầu mà không được giải quyết, hoặc ngày nhận"
            " được quyết định giải quyết khiếu nại lần đầu"
        ),
        starts_en=(
            "Expiry of the first-time limit without a decision, or receipt of the first decision"
        ),
        length=30,
        unit="days",
        remote_length=45,
        legal_basis=f"{_COMPLAINTS_LAW}, Điều 33; {_DECREE_124}, Điều 4",
        confidence="C",
    ),
    _rule(
        "complaint2.accept",
        title_vi="Thụ lý khiếu nại lần hai",
        title_en="Accept a second complaint",
        starts_vi="Ngày nhận được đơn khiếu nại lần hai",
        starts_en="Receipt of the second complaint",
        length=10,
        unit="days",
        legal_basis=f"{_COMPLAINTS_LAW}, Điều 36",
        confidence="U",
        alternative_unit="working_days",
        note_vi=_UNIT_UNCERTAIN_VI,
        note_en=_UNIT_UNCERTAIN_EN,
    ),
    _rule(
        "complaint2.resolve",
        title_vi="Giải quyết khiếu nại lần hai",
        title_en="Resolve a second complaint",
        starts_vi="Ngày thụ lý",
        starts_en="Acceptance of the second complaint",
        length=45,
        unit="days",
        complex_length=60,
        remote_length=60,
        remote_complex_length=70,
        legal_basis=f"{_COMPLAINTS_LAW}, Điều 37",
        confidence="R",
        note_vi="Số ngày theo trí nhớ, cần đối chiếu Điều 37. Bắt buộc đối thoại.",
        note_en="Figures recalled; check Art. 37. Dialogue is mandatory.",
    ),
    _rule(
        "complaint.publish_decision",
        title_vi="Công khai quyết định giải quyết khiếu nại",
        title_en="Publish the complaint decision",
        starts_vi="Ngày ban hành quyết định",
        starts_en="Issue of the decision",
        length=15,
        unit="days",
        legal_basis=f"{_DECREE_124}, Điều 29",
        confidence="C",
        note_vi="Niêm yết tại trụ sở hoặc nơi tiếp công dân, hoặc đăng tải, ít nhất 15 ngày.",
        note_en="Posted at the office or reception place, or online, for at least 15 days.",
    ),
    _rule(
        "complaint.enforce",
        title_vi="Chỉ đạo thi hành quyết định giải quyết khiếu nại có hiệu lực pháp luật",
        title_en="Direct enforcement of a final complaint decision",
        starts_vi="Ngày quyết định có hiệu lực pháp luật",
        starts_en="The decision taking legal effect",
        length=5,
        unit="working_days",
        legal_basis=f"{_DECREE_124}, Điều 31",
        confidence="C",
    ),
    _rule(
        "denunciation.intake",
        title_vi="Vào sổ, phân loại, xử lý ban đầu, kiểm tra điều kiện thụ lý tố cáo",
        title_en="Register, classify, check the denouncer and the acceptance conditions",
        starts_vi=f"{_RECEIPT_VI} tố cáo",
        starts_en="Receipt of the denunciation",
        length=7,
        unit="working_days",
        multi_place_length=10,
        legal_basis=f"{_DENUNCIATIONS_LAW}, Điều 24 khoản 1",
        confidence="R",
        note_vi="10 ngày làm việc nếu phải xác minh ở nhiều nơi hoặc ủy quyền xác minh.",
        note_en="10 working days when verification is needed at several places or delegated.",
    ),
    _rule(
        "denunciation.transfer",
        title_vi="Chuyển tố cáo không thuộc thẩm quyền và thông báo cho người tố cáo",
        title_en="Transfer a denunciation outside our competence and notify the denouncer",
        starts_vi=f"{_RECEIPT_VI} tố cáo",
        starts_en="Receipt of the denunciation",
        length=5,
        unit="working_days",
        legal_basis=f"{_DENUNCIATIONS_LAW}, Điều 24 khoản 2",
        confidence="R",
    ),
    _rule(
        "denunciation.notify_acceptance",
        title_vi="Thông báo việc thụ lý tố cáo",
        title_en="Notify the acceptance of a denunciation",
        starts_vi="Ngày ra quyết định thụ lý tố cáo",
        starts_en="The acceptance decision",
        length=5,
        unit="working_days",
        legal_basis=f"{_DENUNCIATIONS_LAW}, Điều 29 khoản 3",
        confidence="C",
        note_vi="Thông báo cho người tố cáo và người bị tố cáo.",
        note_en="Notify the denouncer and the person denounced.",
    ),
    _rule(
        "denunciation.resolve",
        title_vi="Giải quyết tố cáo",
        title_en="Resolve a denunciation",
        starts_vi="Ngày thụ lý tố cáo",
        starts_en="Acceptance of the denunciation",
        length=30,
        unit="days",
        extension_length=30,
        max_extensions=0,
        max_extensions_complex=1,
        max_extensions_very_complex=2,
        legal_basis=f"{_DENUNCIATIONS_LAW}, Điều 30; Nghị định 31/2019/NĐ-CP",
        confidence="C",
        note_vi=(
            "Vụ việc phức tạp gia hạn một lần, đặc biệt phức tạp gia hạn hai lần, mỗi lần"
            " không quá 30 ngày; mỗi lần gia hạn phải có quyết định bằng văn bản."
        ),
        note_en=(
            "Complex cases: one extension; especially complex: two; each at most 30 days and"
            " each by a written decision."
        ),
    ),
    _rule(
        "petition.forward",
        title_vi="Chuyển phản ánh, kiến nghị không thuộc thẩm quyền",
        title_en="Forward a petition outside our competence",
        starts_vi=f"{_RECEIPT_VI} phản ánh, kiến nghị",
        starts_en="Receipt of the petition",
        length=5,
        unit="working_days",
        legal_basis="Nghị định 20/2008/NĐ-CP, sửa đổi bởi Nghị định 92/2017/NĐ-CP",
        confidence="C",
        note_vi="Chuyển qua Hệ thống thông tin tiếp nhận, trả lời phản ánh, kiến nghị.",
        note_en="Forwarded through the petition (PAKN) information system.",
    ),
    _rule(
        "petition.answer_legal_docs",
        title_vi="Trả lời phản ánh, kiến nghị về văn bản quy phạm pháp luật",
        title_en="Answer a petition on legal documents",
        starts_vi=f"{_RECEIPT_VI} phản ánh, kiến nghị",
        starts_en="Receipt of the petition",
        length=15,
        unit="days",
        legal_basis="Công điện 89/CĐ-TTg ngày 16/6/2025",
        confidence="C",
    ),
    _rule(
        "data_request.acknowledge",
        title_vi="Xác nhận đã nhận yêu cầu của chủ thể dữ liệu cá nhân",
        title_en="Acknowledge a personal-data request",
        starts_vi=f"{_RECEIPT_VI} yêu cầu",
        starts_en="Receipt of the request",
        length=2,
        unit="working_days",
        legal_basis=f"{_DECREE_356}, Điều 5",
        confidence="C",
    ),
    _rule(
        "data_request.complete",
        title_vi="Hoàn thành yêu cầu rút lại sự đồng ý, hạn chế hoặc phản đối xử lý dữ liệu",
        title_en="Complete a withdrawal, restriction or objection request",
        starts_vi=f"{_RECEIPT_VI} yêu cầu",
        starts_en="Receipt of the request",
        length=15,
        unit="days",
        extension_length=15,
        max_extensions=1,
        max_extensions_complex=1,
        max_extensions_very_complex=1,
        legal_basis=f"{_DECREE_356}, Điều 5",
        confidence="C",
        note_vi=(
            "20 ngày nếu cần bên xử lý hoặc bên thứ ba thực hiện (chưa mô hình hóa). Thời hạn"
            " cho yêu cầu truy cập, chỉnh sửa, xóa chưa được xác nhận."
        ),
        note_en=(
            "20 days when a processor or third party must act (not modelled). Periods for"
            " access, correction and deletion requests are unconfirmed."
        ),
    ),
    _rule(
        "breach.notify",
        title_vi="Thông báo vi phạm quy định bảo vệ dữ liệu cá nhân",
        title_en="Notify a personal-data breach",
        starts_vi="Thời điểm phát hiện vi phạm",
        starts_en="Detection of the breach",
        length=72,
        unit="hours",
        legal_basis=(
            "Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15; trước đây Nghị định 13/2023/NĐ-CP, Điều 23"
        ),
        confidence="C",
        note_vi="Tính theo giờ, không lùi theo ngày nghỉ.",
        note_en="Counted in hours, never moved for days off.",
    ),
)

RULES: Final[Mapping[str, Rule]] = MappingProxyType({rule.id: rule for rule in _RULE_LIST})
"""The built-in rules, by stable id. The ids are an interface: never rename them."""


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
    """Like :meth:`WorkingCalendar.add_working_days`, recording days off and make-up days."""
    day = start
    one = timedelta(days=1)
    while n:
        day += one
        if calendar.is_working_day(day):
            n -= 1
            if day.weekday() >= 5:
                out.append(Step("makeup_day_counted", day, _day_detail(calendar.day_info(day))))
        else:
            out.append(Step("skip", day, _day_detail(calendar.day_info(day))))
    return day


def _add_hours(start: datetime, hours: int) -> datetime:
    """Elapsed hours: aware moments are added in UTC so that clock changes cannot bite."""
    if start.tzinfo is None or start.utcoffset() is None:
        return start + timedelta(hours=hours)
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(start.tzinfo)


def alternative_due_date(
    rule: Rule, start: date, calendar: WorkingCalendar, **options: Any
) -> Computation | None:
    """The due date in the rule's ``alternative_unit`` (None when the unit is certain).

    legal.md recommends showing it as a secondary marker where the unit is uncertain.
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


# ---------------------------------------------------------------------------------------------
# Deployment rules file
# ---------------------------------------------------------------------------------------------

_TEXT_FIELDS: Final = frozenset(
    {"title_vi", "title_en", "starts_vi", "starts_en", "legal_basis", "note_vi", "note_en"}
)
_REQUIRED_TEXT: Final = frozenset({"title_vi", "title_en", "legal_basis"})
_OPTIONAL_LENGTHS: Final = frozenset(
    {
        "complex_length",
        "remote_length",
        "remote_complex_length",
        "multi_place_length",
        "extension_length",
    }
)
_COUNTS: Final = frozenset(
    {"max_extensions", "max_extensions_complex", "max_extensions_very_complex"}
)
_MAX_LENGTH: Final = 10_000
RULE_FILE_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in fields(Rule) if f.name != "id")
"""Keys allowed in a ``[rules."<id>"]`` table of the rules file."""


def _parse_field(key: str, name: str, value: object) -> object:
    """Validate one TOML value; ``key`` is the dotted path used in messages."""
    if name in _TEXT_FIELDS:
        if not isinstance(value, str):
            raise RulesFileError(f"{key}: expected a string, got {value!r}")
        text = unicodedata.normalize("NFC", value.strip())
        if name in _REQUIRED_TEXT and not text:
            raise RulesFileError(f"{key}: must not be empty")
        return text
    if name == "unit":
        if value not in UNITS:
            raise RulesFileError(f"{key}: expected one of {', '.join(UNITS)}, got {value!r}")
        return value
    if name == "alternative_unit":
        if value == "":
            return None
        if value not in UNITS:
            raise RulesFileError(
                f'{key}: expected one of {", ".join(UNITS)} or "" (none), got {value!r}'
            )
        return value
    if name == "confidence":
        if value not in CONFIDENCES:
            raise RulesFileError(f"{key}: expected one of C, R, U, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesFileError(f"{key}: expected an integer, got {value!r}")
    if value < 0:
        raise RulesFileError(f"{key}: must not be negative, got {value}")
    if value > _MAX_LENGTH:
        raise RulesFileError(f"{key}: must be at most {_MAX_LENGTH}, got {value}")
    if name == "length" and value == 0:
        raise RulesFileError(f"{key}: must be at least 1")
    if name in _OPTIONAL_LENGTHS:
        return value or None  # 0 removes the variant
    return value


def _check_rule(prefix: str, rule: Rule) -> None:
    counts = (rule.max_extensions, rule.max_extensions_complex, rule.max_extensions_very_complex)
    if any(counts) and rule.extension_length is None:
        raise RulesFileError(f"{prefix}: max_extensions* is set but extension_length is not")
    if not counts[0] <= counts[1] <= counts[2]:
        raise RulesFileError(
            f"{prefix}: expected max_extensions <= max_extensions_complex"
            " <= max_extensions_very_complex"
        )
    if rule.alternative_unit == rule.unit:
        raise RulesFileError(f"{prefix}.alternative_unit: must differ from unit")


def load_rules(
    text: str | None,
    base: Mapping[str, Rule] = RULES,
    *,
    source: str = "deadline_rules.toml",
) -> dict[str, Rule]:
    """Apply a deployment rules file (TOML) on top of ``base``; ``None`` returns a copy.

    Format: one table per rule, with only the fields to change, e.g.::

        [rules."complaint.accept"]
        unit = "working_days"
        legal_basis = "Luật Khiếu nại 2011, Điều 27 (theo TTHC)"

    Optional lengths (``complex_length`` …, ``extension_length``) are removed with ``0``;
    ``alternative_unit`` with ``""``. Unknown ids or keys, wrong types and negative numbers
    raise :class:`RulesFileError` whose message starts with ``source`` and the key.
    """
    result = dict(base)
    if text is None:
        return result
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError(f"{source}: not valid TOML: {exc}") from exc
    unknown_top = sorted(set(data) - {"rules"})
    if unknown_top:
        raise RulesFileError(f'{source}: unknown key {unknown_top[0]!r}; only [rules."…"]')
    tables = data.get("rules", {})
    if not isinstance(tables, dict):
        raise RulesFileError(f'{source}: rules: expected tables [rules."<id>"]')
    for rule_id, table in tables.items():
        prefix = f'{source}: rules."{rule_id}"'
        if rule_id not in base:
            raise RulesFileError(f"{prefix}: unknown rule id; known ids: {', '.join(base)}")
        if not isinstance(table, dict):
            raise RulesFileError(f"{prefix}: expected a table of fields, got {table!r}")
        changes: dict[str, Any] = {}
        for name, value in table.items():
            key = f"{prefix}.{name}"
            if name not in RULE_FILE_FIELDS:
                raise RulesFileError(f"{key}: unknown key; allowed: {', '.join(RULE_FILE_FIELDS)}")
            changes[name] = _parse_field(key, name, value)
        rule = replace(base[rule_id], **changes)
        _check_rule(prefix, rule)
        result[rule_id] = rule
    return result


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
