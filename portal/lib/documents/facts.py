"""What a notice is about and what it holds: the kinds, the agency, the facts of the case, the
composed `Notice`, and dates written the Decree 30/2020 way."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal, get_args

NoticeKind = Literal[
    "acceptance", "non_acceptance", "forwarding_slip", "guidance", "extension", "result"
]
NOTICE_KINDS: Final[tuple[str, ...]] = get_args(NoticeKind)
CASE_KINDS: Final[tuple[str, ...]] = ("complaint", "denunciation", "petition", "reflection")


@dataclass(frozen=True)
class Agency:
    parent: str  # the governing body, "ỦY BAN NHÂN DÂN TỈNH TÂY NINH"
    name: str  # "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    place: str  # "Tây Ninh"
    signer_title: str  # "GIÁM ĐỐC"; a deputy signs as "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    signer_name: str
    symbol: str  # "STTTT", as in "Số: 12/TB-STTTT"
    name_in_text: str | None = None  # "Sở Thông tin và Truyền thông"; derived from `name` if None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Agency:
        """The department as its settings describe it (docs/deployment.md, AGENCY_*)."""
        return cls(
            parent=config["AGENCY_PARENT"],
            name=config["AGENCY_NAME"],
            place=config["AGENCY_PLACE"],
            signer_title=config["AGENCY_SIGNER_TITLE"],
            signer_name=config["AGENCY_SIGNER_NAME"],
            symbol=config["AGENCY_SYMBOL"],
            name_in_text=config["AGENCY_NAME"],
        )


@dataclass(frozen=True)
class CaseFacts:
    number: str  # "2026/0012"
    kind: str  # one of CASE_KINDS
    received_on: date
    letter_date: date | None
    submitter_name: str | None  # None for a confidential case: then no identity is printed
    submitter_address: str | None
    submitter_id_number: str | None
    subject: str
    content: str
    respondent: str | None
    round: int = 1  # complaints: 1 = lần đầu, 2 = lần hai


@dataclass(frozen=True)
class Notice:
    """Every line of a notice, ready to print (Word) or to render (HTML)."""

    parent: str
    agency_name: str
    number_line: str  # "Số: 12/TB-STTTT"
    place_date: str  # "Tây Ninh, ngày 05 tháng 3 năm 2026"
    title: tuple[str, ...]  # ("THÔNG BÁO", "Về việc …") or ("PHIẾU CHUYỂN ĐƠN",)
    salutation: str  # "Kính gửi: …"
    paragraphs: tuple[str, ...]
    recipients: tuple[str, ...]  # "- Như trên;", …, "- Lưu: VT, hồ sơ 2026/0012."
    signer_title: tuple[str, ...]
    signer_name: str


def vn_date(day: date) -> str:
    """'ngày 05 tháng 3 năm 2026'.

    Decree 30/2020 Appendix I: a day below 10 and the months 1 and 2 take a leading zero (so that
    "tháng 1" cannot be turned into "tháng 11" by hand); other months are written as is.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
