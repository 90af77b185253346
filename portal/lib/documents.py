"""Official notices on a case (complaint, denunciation, petition, reflection) as Word documents.

The layout follows the administrative format of Decree 30/2020/NĐ-CP, Appendix I, as far as
python-docx can draw it: A4, margins 20/20/30/15 mm, Times New Roman, a borderless two-column
header (issuing body and number on the left; Quốc hiệu, tiêu ngữ, place and date on the right),
a centred title, "Kính gửi", justified body, then "Nơi nhận" and the signature block.

The wording is reconstructed from the statutes it cites (Law on Complaints 2011, Law on
Denunciations 2018, Circular 05/2021/TT-TTCP). The official "Mẫu số" numbers of these forms were
not confirmed, so none is printed.

`compose_notice` produces the whole text once, as plain strings; `build_notice` lays that text
out in Word, and the app's HTML print view can render the same `Notice`, so the wording has a
single source.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from io import BytesIO
from typing import Any, Final, Literal, get_args

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from portal.lib.xmltext import xml_text

NoticeKind = Literal[
    "acceptance", "non_acceptance", "forwarding_slip", "guidance", "extension", "result"
]
NOTICE_KINDS: Final[tuple[str, ...]] = get_args(NoticeKind)
CASE_KINDS: Final[tuple[str, ...]] = ("complaint", "denunciation", "petition", "reflection")

FONT: Final = "Times New Roman"
REDACTED: Final = "[…]"

_NOUN: Final = {
    "complaint": "khiếu nại",
    "denunciation": "tố cáo",
    "petition": "kiến nghị",
    "reflection": "phản ánh",
}
_ROLE: Final = {
    "complaint": "người khiếu nại",
    "denunciation": "người tố cáo",
    "petition": "người kiến nghị",
    "reflection": "người phản ánh",
}
_RESPONDENT_LABEL: Final = {
    "complaint": "Người bị khiếu nại",
    "denunciation": "Người bị tố cáo",
    "petition": "Cơ quan, tổ chức, cá nhân liên quan",
    "reflection": "Cơ quan, tổ chức, cá nhân liên quan",
}
_COMPLAINT_LAW: Final = "Luật Khiếu nại năm 2011"
_DENUNCIATION_LAW: Final = "Luật Tố cáo năm 2018"
_CIRCULAR_05: Final = "Thông tư số 05/2021/TT-TTCP của Thanh tra Chính phủ"
_LAW: Final = {
    "complaint": _COMPLAINT_LAW,
    "denunciation": _DENUNCIATION_LAW,
    "petition": _CIRCULAR_05,
    "reflection": _CIRCULAR_05,
}
_ROUND_WORD: Final = {1: "lần đầu", 2: "lần hai"}

_SPACES: Final = re.compile(r"\s+")
_LINE_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


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


def notice_title(kind: NoticeKind, case_kind: str, *, round: int = 1) -> str:
    """The title on one line, e.g. "THÔNG BÁO Về việc thụ lý giải quyết khiếu nại lần đầu"."""
    return " ".join(_title_lines(kind, case_kind, round))


def notice_paragraphs(
    kind: NoticeKind, agency: Agency, case: CaseFacts, *, issued_on: date, **options: Any
) -> list[str]:
    """The body between "Kính gửi" and "Nơi nhận", one string per paragraph; the options are
    those of `compose_notice`."""
    return list(compose_notice(kind, agency, case, issued_on=issued_on, **options).paragraphs)


def build_notice(
    kind: NoticeKind, agency: Agency, case: CaseFacts, *, issued_on: date, **options: Any
) -> bytes:
    """The notice as a .docx file; the options are those of `compose_notice`."""
    notice = compose_notice(kind, agency, case, issued_on=issued_on, **options)
    return render_docx(notice, issued_on=issued_on)


def compose_notice(
    kind: NoticeKind,
    agency: Agency,
    case: CaseFacts,
    *,
    issued_on: date,
    document_number: str | None = None,
    ground: str | None = None,
    forwarded_to: str | None = None,
    extension_until: date | None = None,
    reason: str | None = None,
    result_text: str | None = None,
    recipients: Sequence[str] = (),
    accepted_on: date | None = None,
) -> Notice:
    """All the text of a notice.

    Required options by kind (ValueError when missing): non_acceptance → `ground`;
    forwarding_slip and guidance → `forwarded_to` (the competent body); extension →
    `extension_until` and `reason`; result → `result_text`. Options a kind does not use are
    ignored. `accepted_on` (acceptance only) defaults to `issued_on`. `document_number` is the
    register number ("12"); without it the number is left blank for the clerk to fill in.
    `recipients` are the "Nơi nhận" lines besides "Như trên" and the file copy.

    A forwarding slip for a denunciation goes to a third party, so it never carries the
    denouncer's name, address or ID number, and any of them found in the free text is replaced by
    "[…]". The same holds for every notice when `submitter_name` is None (a confidential case).
    """
    title = _title_lines(kind, case.kind, case.round)
    if issued_on < case.received_on:
        raise ValueError("issued_on is before the letter was received")

    text = _agency_in_text(agency)
    hidden = case.submitter_name is None or (
        kind == "forwarding_slip" and case.kind == "denunciation"
    )
    if hidden:
        # Redact the free text only: the fixed wording and the bodies' names stay intact.
        redact = _redactor(case)
        case = replace(
            case,
            subject=redact(case.subject),
            content=redact(case.content),
            respondent=redact(case.respondent) if case.respondent else None,
        )
        ground, reason, result_text = (
            redact(value) if value else value for value in (ground, reason, result_text)
        )
        recipients = [redact(line) for line in recipients]
    you = "ông (bà)" if case.submitter_name is not None else _ROLE[case.kind]
    noun = _NOUN[case.kind]
    closing = f"{text} thông báo để {you} được biết./."

    if kind == "forwarding_slip":
        competent = _required(forwarded_to, "forwarded_to")
        salutation = competent
        body = _forwarding_slip(case, text, competent, hidden)
    else:
        salutation = _addressee(case)
        body = [_receipt_sentence(case, text, hidden)]
        if kind == "acceptance":
            body += _acceptance(case, text, accepted_on or issued_on)
            body.append(closing)
        elif kind == "non_acceptance":
            body += _non_acceptance(case, text, _required(ground, "ground"))
            body.append(closing)
        elif kind == "guidance":
            competent = _required(forwarded_to, "forwarded_to")
            body += _prefixed("Nội dung đơn: ", case.content)
            body.append(
                f"Căn cứ {_LAW[case.kind]}, nội dung đơn không thuộc thẩm quyền giải quyết "
                f"của {text}."
            )
            body.append(
                f"Đề nghị {you} gửi đơn đến {competent} để được xem xét, giải quyết theo quy "
                "định của pháp luật./."
            )
        elif kind == "extension":
            until = extension_until
            if until is None:
                raise ValueError("extension_until is required for an extension notice")
            if until <= issued_on:
                raise ValueError("extension_until must be after issued_on")
            body.append(_extension(case, text, until))
            body += _prefixed("Lý do gia hạn: ", _required(reason, "reason"))
            body.append(closing)
        else:
            body.append(f"{text} đã xem xét, giải quyết {noun} nêu trên. Kết quả như sau:")
            body += _lines(_required(result_text, "result_text"))
            rights = _rights_after_result(case, you)
            if rights:
                body.append(rights)
            body.append(closing)

    recipient_lines = [
        "- Như trên;",
        *(f"- {_recipient(line)};" for line in recipients if _recipient(line)),
        f"- Lưu: VT, hồ sơ {_clean(case.number)}.",
    ]
    number = _clean(document_number or "") or " " * 8
    symbol = f"{'PC' if kind == 'forwarding_slip' else 'TB'}-{_clean(agency.symbol)}"
    number_line = f"Số: {number}" if "/" in number else f"Số: {number}/{symbol}"
    return Notice(
        parent=_clean(agency.parent).upper(),
        agency_name=_clean(agency.name).upper(),
        number_line=number_line,
        place_date=f"{_clean(agency.place)}, {vn_date(issued_on)}",
        title=title,
        salutation=f"Kính gửi: {salutation}",
        paragraphs=tuple(body),
        recipients=tuple(recipient_lines),
        signer_title=tuple(line.upper() for line in _lines(agency.signer_title)),
        signer_name=_clean(agency.signer_name),
    )


def _title_lines(kind: str, case_kind: str, round_: int) -> tuple[str, ...]:
    if kind not in NOTICE_KINDS:
        raise ValueError(f"unknown notice kind: {kind!r}")
    if case_kind not in CASE_KINDS:
        raise ValueError(f"unknown case kind: {case_kind!r}")
    if case_kind == "complaint" and round_ not in _ROUND_WORD:
        raise ValueError(f"a complaint is resolved in round 1 or 2, not {round_}")
    noun = _NOUN[case_kind]
    if kind == "forwarding_slip":
        return ("PHIẾU CHUYỂN ĐƠN",)
    if case_kind == "complaint":
        handled = f"giải quyết khiếu nại {_ROUND_WORD[round_]}"
        subjects = {
            "acceptance": f"Về việc thụ lý {handled}",
            "non_acceptance": f"Về việc không thụ lý {handled}",
            "extension": f"Về việc gia hạn {handled}",
            "result": f"Về kết quả {handled}",
        }
    elif case_kind == "denunciation":
        subjects = {
            "acceptance": "Về việc thụ lý tố cáo",
            "non_acceptance": "Về việc không thụ lý tố cáo",
            "extension": "Về việc gia hạn giải quyết tố cáo",
            "result": "Về kết quả giải quyết tố cáo",
        }
    else:
        subjects = {
            "acceptance": f"Về việc tiếp nhận, giải quyết {noun}",
            "non_acceptance": f"Về việc không xem xét, giải quyết {noun}",
            "extension": f"Về việc gia hạn giải quyết {noun}",
            "result": f"Về kết quả giải quyết {noun}",
        }
    subjects["guidance"] = f"Về việc hướng dẫn gửi đơn {noun} đến cơ quan có thẩm quyền"
    return ("THÔNG BÁO", subjects[kind])


def _receipt_sentence(case: CaseFacts, agency: str, hidden: bool) -> str:
    """'Ngày …, [agency] nhận được đơn khiếu nại đề ngày … của ông (bà) … (mã hồ sơ: …), …'.

    A denunciation notice names only "ông (bà)" (the addressee): it can be copied to others, and
    the denouncer's address and ID number are protected (Law on Denunciations 2018, Art. 47).
    """
    noun = _NOUN[case.kind]
    sentence = f"{_capitalise(vn_date(case.received_on))}, {agency} nhận được đơn {noun}"
    if case.letter_date is not None:
        sentence += f" đề {vn_date(case.letter_date)}"
    if not hidden:
        if case.kind == "denunciation":
            sentence += " của ông (bà)"
        else:
            sentence += f" của ông (bà) {_clean(case.submitter_name or '')}"
            if _clean(case.submitter_address or ""):
                sentence += f", địa chỉ: {_clean(case.submitter_address or '')}"
            if _clean(case.submitter_id_number or ""):
                sentence += f", số CCCD/hộ chiếu: {_clean(case.submitter_id_number or '')}"
    sentence += f" (mã hồ sơ: {_clean(case.number)}), {noun}"
    if _clean(case.respondent or ""):
        sentence += f" đối với {_clean(case.respondent or '')}"
    return f"{sentence} về việc {_subject(case.subject)}."


def _forwarding_slip(case: CaseFacts, agency: str, competent: str, hidden: bool) -> list[str]:
    noun = _NOUN[case.kind]
    received = f"{_capitalise(vn_date(case.received_on))}, {agency} nhận được đơn {noun}"
    if case.letter_date is not None:
        received += f" đề {vn_date(case.letter_date)}"
    body = [f"{received} (mã hồ sơ: {_clean(case.number)}) về việc {_subject(case.subject)}."]
    if not hidden:
        body.append(f"Đơn ghi tên ông (bà): {_clean(case.submitter_name or '')}.")
        if _clean(case.submitter_address or ""):
            body.append(f"Địa chỉ: {_clean(case.submitter_address or '')}.")
    if _clean(case.respondent or ""):
        body.append(f"{_RESPONDENT_LABEL[case.kind]}: {_clean(case.respondent or '')}.")
    body += _prefixed("Nội dung đơn: ", case.content)
    if case.kind == "denunciation":
        body.append(
            "Thông tin về người tố cáo được giữ bí mật theo quy định tại Điều 47 "
            f"{_DENUNCIATION_LAW}; đề nghị {competent} thực hiện việc bảo vệ người tố cáo "
            "theo quy định."
        )
    basis = _LAW[case.kind]
    if basis != _CIRCULAR_05:
        basis = f"{basis} và {_CIRCULAR_05}"
    body.append(
        f"Căn cứ {basis}, {agency} chuyển đơn đến {competent} để xem xét, giải quyết theo "
        f"thẩm quyền và thông báo kết quả giải quyết cho {agency} biết./."
    )
    return body


def _acceptance(case: CaseFacts, agency: str, accepted_on: date) -> list[str]:
    since = vn_date(accepted_on)
    if case.kind == "complaint":
        article = 27 if case.round == 1 else 36
        round_word = _ROUND_WORD[case.round]
        return [
            f"Căn cứ Điều {article} {_COMPLAINT_LAW}, xét thấy khiếu nại đủ điều kiện thụ lý "
            f"và thuộc thẩm quyền giải quyết, {agency} đã thụ lý giải quyết khiếu nại "
            f"{round_word} kể từ {since}."
        ]
    if case.kind == "denunciation":
        return [
            f"Căn cứ Điều 29 {_DENUNCIATION_LAW}, xét thấy tố cáo đủ điều kiện thụ lý và thuộc "
            f"thẩm quyền giải quyết, {agency} đã thụ lý tố cáo kể từ {since}.",
            f"Thời hạn giải quyết tố cáo thực hiện theo Điều 30 {_DENUNCIATION_LAW}. Thông tin "
            "về người tố cáo được giữ bí mật theo quy định của pháp luật.",
        ]
    return [
        f"Căn cứ {_CIRCULAR_05}, {agency} đã tiếp nhận và xem xét, giải quyết {_NOUN[case.kind]} "
        f"nêu trên theo thẩm quyền kể từ {since}; kết quả giải quyết sẽ được thông báo bằng "
        "văn bản."
    ]


def _non_acceptance(case: CaseFacts, agency: str, ground: str) -> list[str]:
    if case.kind == "complaint":
        opening = (
            f"Căn cứ Điều 11 và Điều {27 if case.round == 1 else 36} {_COMPLAINT_LAW}, "
            f"{agency} không thụ lý giải quyết khiếu nại nêu trên."
        )
    elif case.kind == "denunciation":
        opening = f"Căn cứ Điều 27 {_DENUNCIATION_LAW}, {agency} không thụ lý tố cáo nêu trên."
    else:
        opening = (
            f"Căn cứ {_CIRCULAR_05}, {agency} không xem xét, giải quyết {_NOUN[case.kind]} "
            "nêu trên."
        )
    return [opening, *_prefixed("Lý do: ", ground)]


def _extension(case: CaseFacts, agency: str, until: date) -> str:
    noun = _NOUN[case.kind]
    if case.kind == "denunciation":
        basis = f"Điều 30 {_DENUNCIATION_LAW}"
    elif case.kind == "complaint":
        basis = f"quy định về thời hạn giải quyết khiếu nại tại {_COMPLAINT_LAW}"
        noun = f"khiếu nại {_ROUND_WORD[case.round]}"
    else:
        basis = "quy định của pháp luật"
    return (
        f"Căn cứ {basis}, {agency} gia hạn thời hạn giải quyết {noun} nêu trên đến hết "
        f"{vn_date(until)}."
    )


def _rights_after_result(case: CaseFacts, you: str) -> str | None:
    if case.kind == "complaint":
        remedy = (
            "khiếu nại lần hai hoặc khởi kiện vụ án hành chính tại Tòa án"
            if case.round == 1
            else "khởi kiện vụ án hành chính tại Tòa án"
        )
        return (
            f"Trường hợp không đồng ý với kết quả giải quyết, {you} có quyền {remedy} theo quy "
            "định của pháp luật."
        )
    if case.kind == "denunciation":
        return (
            "Trường hợp có căn cứ cho rằng việc giải quyết tố cáo không đúng pháp luật, "
            f"{you} có quyền tố cáo tiếp theo quy định của {_DENUNCIATION_LAW}."
        )
    return None


def _addressee(case: CaseFacts) -> str:
    name = _clean(case.submitter_name or "")
    return f"Ông (Bà) {name}" if name else _capitalise(_ROLE[case.kind])


def _agency_in_text(agency: Agency) -> str:
    """The agency's name as written inside a sentence ("Sở Thông tin và Truyền thông").

    Decree 30/2020 Appendix II capitalises the first letter of the type of body and of each
    phrase naming its field. For an upper-case "SỞ …" / "BAN …" name that is the first word, the
    word after it, and the word after each comma or "và"; other names are used as given, so set
    `name_in_text` for anything this rule gets wrong.
    """
    if agency.name_in_text:
        return _clean(agency.name_in_text)
    name = _clean(agency.name)
    words = name.split()
    if not name.isupper() or len(words) < 2 or words[0].lower() not in {"sở", "ban", "bộ", "cục"}:
        return name
    out = [words[0].capitalize()]
    capital = True
    for word in words[1:]:
        lower = word.lower()
        if lower == "và":
            out.append(lower)
            capital = True
            continue
        out.append(lower[:1].upper() + lower[1:] if capital else lower)
        capital = lower.endswith(",")
    return " ".join(out)


def _redactor(case: CaseFacts) -> Callable[[str], str]:
    """Replace the submitter's name, address and ID number wherever they appear in a text."""
    patterns: list[str] = []
    for value in (case.submitter_name, case.submitter_address, case.submitter_id_number):
        words = _clean(value or "").split()
        if len(" ".join(words)) >= 3:
            patterns.append(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")
    digits = re.sub(r"\D", "", case.submitter_id_number or "")
    if len(digits) >= 6:
        patterns.append(r"(?<!\d)" + r"[\s.\-]?".join(digits) + r"(?!\d)")
    pattern = re.compile("|".join(sorted(patterns, key=len, reverse=True)), re.IGNORECASE)

    def redact(text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        return pattern.sub(REDACTED, text) if patterns else text

    return redact


def _clean(text: str) -> str:
    """NFC, no characters XML cannot hold, single spaces, no surrounding blanks."""
    text = xml_text(text)
    return _SPACES.sub(" ", text).strip()


def _lines(text: str) -> list[str]:
    """Non-blank lines. Not `str.splitlines`, which also breaks at control characters."""
    text = xml_text(text)
    return [line for line in (_clean(part) for part in _LINE_BREAK.split(text)) if line]


def _prefixed(prefix: str, text: str) -> list[str]:
    """`text` as paragraphs, the first one after `prefix` ("Nội dung đơn: …")."""
    lines = _lines(text)
    if not lines:
        return []
    if lines[-1][-1] not in '.!?:;…)"”':
        lines[-1] += "."
    return [f"{prefix}{lines[0]}", *lines[1:]]


def _required(value: str | None, option: str) -> str:
    if value is None or not _clean(value):
        raise ValueError(f"{option} is required for this notice")
    return _clean(value)


def _subject(subject: str) -> str:
    text = _clean(subject).rstrip(".;")
    return re.sub(r"^về việc\s+", "", text, flags=re.IGNORECASE)


def _recipient(line: str) -> str:
    return _clean(line).lstrip("-– ").rstrip(".;, ")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- Word layout --------------------------------------------------------------------------

_TEXT_WIDTH: Final = Mm(210 - 30 - 15)
_HEADER_LEFT: Final = Mm(70)
_FOOTER_LEFT: Final = Mm(80)
_CELL_MARGIN: Final = Mm(1.9)  # Word's default left/right cell margin (0.19 cm)
_CENTER: Final = WD_ALIGN_PARAGRAPH.CENTER
_LEFT: Final = WD_ALIGN_PARAGRAPH.LEFT
_JUSTIFY: Final = WD_ALIGN_PARAGRAPH.JUSTIFY


def render_docx(notice: Notice, *, issued_on: date | None = None) -> bytes:
    """Lay a composed notice out on A4 in the Decree 30/2020 format."""
    document = new_document()
    add_header(
        document,
        parent=notice.parent,
        agency_name=notice.agency_name,
        number_line=notice.number_line,
        place_date=notice.place_date,
    )
    add_title(document, notice.title)
    _write(document.add_paragraph(), notice.salutation, size=14, space_before=12, space_after=12)
    for text in notice.paragraphs:
        add_body_paragraph(document, text)
    add_signature(
        document,
        recipients=notice.recipients,
        signer_title=notice.signer_title,
        signer_name=notice.signer_name,
    )
    return document_bytes(
        document, title=" ".join(notice.title), author=notice.agency_name, issued_on=issued_on
    )


# Public building blocks, also used by the yearly report (portal/lib/report_documents.py).


def new_document() -> DocxDocument:
    """An empty A4 document with the Decree 30 margins and fonts."""
    document = Document()
    _page_and_fonts(document)
    return document


def add_header(
    document: DocxDocument, *, parent: str, agency_name: str, number_line: str, place_date: str
) -> None:
    """The borderless two-column header: issuing body and number on the left; Quốc hiệu,
    tiêu ngữ, place and date on the right."""
    header = document.add_table(rows=1, cols=2)
    _borderless(header, (_HEADER_LEFT, _TEXT_WIDTH - _HEADER_LEFT))
    left, right = header.rows[0].cells
    if parent:
        _write(_cell_paragraph(left), parent, size=12)
    _write(_cell_paragraph(left), agency_name, size=12, bold=True)
    _rule(left, _HEADER_LEFT, Mm(25))
    _write(_cell_paragraph(left), number_line, size=13, space_before=6)
    _write(_cell_paragraph(right), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _write(_cell_paragraph(right), "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _rule(right, _TEXT_WIDTH - _HEADER_LEFT, Mm(60))
    _write(_cell_paragraph(right), place_date, size=13, italic=True, space_before=6)


def add_title(document: DocxDocument, lines: Sequence[str]) -> None:
    """The centred bold title, its first line set apart from the header."""
    for index, line in enumerate(lines):
        space_before = 18 if index == 0 else 0
        _write(document.add_paragraph(), line, size=14, bold=True, space_before=space_before)


def add_body_paragraph(document: DocxDocument, text: str) -> Paragraph:
    """A justified body paragraph with a first-line indent."""
    paragraph = document.add_paragraph()
    _write(paragraph, text, size=14, space_after=6, align=_JUSTIFY)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.line_spacing = 1.15
    return paragraph


def add_heading_line(document: DocxDocument, text: str) -> Paragraph:
    """A bold, left-aligned heading inside the body ("I. KẾT QUẢ …", "1. Công tác …")."""
    paragraph = document.add_paragraph()
    _write(paragraph, text, size=14, bold=True, space_before=6, space_after=6, align=_JUSTIFY)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def add_grid_table(
    document: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[str]]
) -> Table:
    """A bordered table with a bold header row that repeats on each page (figures)."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _write(_cell_paragraph(cell), _clean(text), size=12, bold=True)
    _insert_in_order(
        table.rows[0]._tr.get_or_add_trPr(),
        OxmlElement("w:tblHeader"),
        ("w:tblCellSpacing", "w:jc", "w:hidden"),
    )
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            align = _LEFT if index == 1 or len(headers) == 1 else _CENTER
            _write(_cell_paragraph(cell), _clean(text), size=12, align=align)
    document.add_paragraph()
    return table


def add_signature(
    document: DocxDocument,
    *,
    recipients: Sequence[str],
    signer_title: Sequence[str],
    signer_name: str,
) -> None:
    """The "Nơi nhận" list on the left, the signature block on the right, on one page."""
    footer = document.add_table(rows=1, cols=2)
    _borderless(footer, (_FOOTER_LEFT, _TEXT_WIDTH - _FOOTER_LEFT))
    _cant_split(footer.rows[0]._tr)
    left, right = footer.rows[0].cells
    label = _cell_paragraph(left)
    _write(label, "Nơi nhận:", size=12, bold=True, italic=True, space_before=12, align=_LEFT)
    for line in recipients:
        _write(_cell_paragraph(left), line, size=11, align=_LEFT)
    for index, line in enumerate(signer_title):
        space_before = 12 if index == 0 else 0
        _write(_cell_paragraph(right), line, size=14, bold=True, space_before=space_before)
    for _ in range(4):
        _write(_cell_paragraph(right), "", size=14)
    _write(_cell_paragraph(right), signer_name, size=14, bold=True)


def text_lines(text: str) -> list[str]:
    """Free text as clean paragraphs: NFC, no characters XML cannot hold, no blank lines."""
    return _lines(text)


def document_bytes(
    document: DocxDocument, *, title: str, author: str, issued_on: date | None = None
) -> bytes:
    """Set the file's properties (no personal data) and return it as bytes."""
    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.last_modified_by = author
    properties.language = "vi-VN"
    properties.comments = ""
    properties.revision = 1
    if issued_on is not None:
        moment = datetime(issued_on.year, issued_on.month, issued_on.day)
        properties.created = moment
        properties.modified = moment

    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_and_fonts(document: DocxDocument) -> None:
    """A4 with the Decree 30 margins; Times New Roman for every script, Vietnamese proofing.

    Word may pick the East Asian font slot for some Vietnamese characters, so `w:eastAsia` is
    set as well as `w:ascii`/`w:hAnsi`, both on the document defaults (which otherwise name
    theme fonts) and on the Normal style.
    """
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)

    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rpr in defaults.iter(qn("w:rPr")):
            _set_fonts(rpr)
        for spacing in defaults.iter(qn("w:spacing")):
            spacing.set(qn("w:after"), "0")
            spacing.set(qn("w:line"), "240")
            spacing.set(qn("w:lineRule"), "auto")

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _set_fonts(rpr: BaseOxmlElement) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        _insert_in_order(rpr, lang, ("w:eastAsianLayout", "w:specVanish", "w:oMath"))
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")


def _insert_in_order(
    parent: BaseOxmlElement, child: BaseOxmlElement, successors: tuple[str, ...]
) -> None:
    """Insert `child` before the first of `successors` present: Word rejects misordered XML."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _borderless(table: Table, widths: tuple[Length, Length]) -> None:
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    _insert_in_order(
        table._tbl.tblPr,
        borders,
        ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"),
    )
    table_width = table._tbl.tblPr.find(qn("w:tblW"))
    if table_width is not None:
        table_width.set(qn("w:type"), "dxa")
        table_width.set(qn("w:w"), str(sum(widths) // 635))  # EMU to twentieths of a point
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _cant_split(tr: BaseOxmlElement) -> None:
    """Keep "Nơi nhận" and the signature together on one page."""
    tr_pr = tr.get_or_add_trPr()
    _insert_in_order(
        tr_pr,
        OxmlElement("w:cantSplit"),
        ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden"),
    )


def _cell_paragraph(cell: _Cell) -> Paragraph:
    """The cell's own empty paragraph for its first line, a new one after that."""
    paragraphs = cell.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].runs and not paragraphs[0].text:
        return paragraphs[0]
    return cell.add_paragraph()


def _rule(cell: _Cell, cell_width: Length, length: Length) -> None:
    """The short solid line Decree 30 draws under the agency name and under the tiêu ngữ.

    A 1-pt high paragraph with a top border, indented so the border is `length` long and centred.
    """
    paragraph = cell.add_paragraph()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for attribute, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{attribute}"), value)
    borders.append(top)
    # Added before any spacing or indentation, which must follow w:pBdr inside w:pPr.
    paragraph._p.get_or_add_pPr().append(borders)
    indent = Length(max(0, (cell_width - 2 * _CELL_MARGIN - length) // 2))
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.space_before = Pt(2)
    paragraph.paragraph_format.line_spacing = Pt(1)


def _write(
    paragraph: Paragraph,
    text: str,
    *,
    size: int,
    bold: bool = False,
    italic: bool = False,
    space_before: int = 0,
    space_after: int = 0,
    align: WD_ALIGN_PARAGRAPH = _CENTER,
) -> None:
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(space_after)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    if "  " in text:
        # The blank left for the register number: keep its run of spaces.
        for element in run._r.iter(qn("w:t")):
            element.set(qn("xml:space"), "preserve")
