"""The table of the law: each statutory time limit with its length, unit and legal basis.

One :class:`Rule` per (kind, step), keyed by a stable id in :data:`RULES`. The table is data:
this module is longer than 400 lines because the table is kept whole, so that it reads as one
table next to docs/legal-basis.md; a deployment can restate any field with a rules file
(:mod:`.rules_file`). Where the law sets no limit, a rule the department set for itself is
marked with confidence "D" (``petition.answer``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from portal.domain.deadlines.model import Confidence, Rule, Unit


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

PETITION_ANSWER: Final = "petition.answer"
PETITION_ANSWER_DEFAULT_WORKING_DAYS: Final = 15
"""The department's own answer time for accepted petitions and reflections (no general
statutory limit exists; docs/legal-notes.md asks the department to confirm it)."""

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
        PETITION_ANSWER,
        title_vi="Trả lời phản ánh, kiến nghị đã thụ lý (quy định của Sở)",
        title_en="Answer an accepted petition or reflection (the department's rule)",
        starts_vi="Ngày thụ lý phản ánh, kiến nghị",
        starts_en="Acceptance of the petition or reflection",
        length=PETITION_ANSWER_DEFAULT_WORKING_DAYS,
        unit="working_days",
        legal_basis=(
            "Quy định của Sở (Luật Tiếp công dân 42/2013/QH13 và Thông tư 05/2021/TT-TTCP"
            " không quy định thời hạn chung)"
        ),
        confidence="D",
        note_vi=(
            "Không phải thời hạn luật định: Sở tự đặt, độ dài theo cấu hình"
            " PETITION_ANSWER_WORKING_DAYS; áp dụng cho cả phản ánh."
        ),
        note_en=(
            "Not a statutory limit: set by the department, its length by the"
            " PETITION_ANSWER_WORKING_DAYS setting; reflections use it too."
        ),
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
