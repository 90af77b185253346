"""The sentences of the notices, reconstructed from the statutes they cite (Law on Complaints
2011, Law on Denunciations 2018, Circular 05/2021/TT-TTCP): titles, the receipt sentence, the
body of each kind, the addressee, and the redaction of a protected submitter's identity.

`portal.lib.documents.notices.compose_notice` puts these pieces together.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Final

from portal.lib.documents.facts import CASE_KINDS, NOTICE_KINDS, Agency, CaseFacts, vn_date
from portal.lib.documents.text import clean_line, text_lines

REDACTED: Final = "[…]"

NOUN: Final = {
    "complaint": "khiếu nại",
    "denunciation": "tố cáo",
    "petition": "kiến nghị",
    "reflection": "phản ánh",
}
ROLE: Final = {
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
LAW: Final = {
    "complaint": _COMPLAINT_LAW,
    "denunciation": _DENUNCIATION_LAW,
    "petition": _CIRCULAR_05,
    "reflection": _CIRCULAR_05,
}
_ROUND_WORD: Final = {1: "lần đầu", 2: "lần hai"}


def title_lines(kind: str, case_kind: str, round_: int) -> tuple[str, ...]:
    """The title's lines: ("THÔNG BÁO", "Về việc …"), or ("PHIẾU CHUYỂN ĐƠN",)."""
    if kind not in NOTICE_KINDS:
        raise ValueError(f"unknown notice kind: {kind!r}")
    if case_kind not in CASE_KINDS:
        raise ValueError(f"unknown case kind: {case_kind!r}")
    if case_kind == "complaint" and round_ not in _ROUND_WORD:
        raise ValueError(f"a complaint is resolved in round 1 or 2, not {round_}")
    noun = NOUN[case_kind]
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


def receipt_sentence(case: CaseFacts, agency: str, hidden: bool) -> str:
    """'Ngày …, [agency] nhận được đơn khiếu nại đề ngày … của ông (bà) … (mã hồ sơ: …), …'.

    A denunciation notice names only "ông (bà)" (the addressee): it can be copied to others, and
    the denouncer's address and ID number are protected (Law on Denunciations 2018, Art. 47).
    """
    noun = NOUN[case.kind]
    sentence = f"{_capitalise(vn_date(case.received_on))}, {agency} nhận được đơn {noun}"
    if case.letter_date is not None:
        sentence += f" đề {vn_date(case.letter_date)}"
    if not hidden:
        if case.kind == "denunciation":
            sentence += " của ông (bà)"
        else:
            sentence += f" của ông (bà) {clean_line(case.submitter_name or '')}"
            if clean_line(case.submitter_address or ""):
                sentence += f", địa chỉ: {clean_line(case.submitter_address or '')}"
            if clean_line(case.submitter_id_number or ""):
                sentence += f", số CCCD/hộ chiếu: {clean_line(case.submitter_id_number or '')}"
    sentence += f" (mã hồ sơ: {clean_line(case.number)}), {noun}"
    if clean_line(case.respondent or ""):
        sentence += f" đối với {clean_line(case.respondent or '')}"
    return f"{sentence} về việc {_subject(case.subject)}."


def forwarding_slip(case: CaseFacts, agency: str, competent: str, hidden: bool) -> list[str]:
    """The body of a slip forwarding the letter to the `competent` body."""
    noun = NOUN[case.kind]
    received = f"{_capitalise(vn_date(case.received_on))}, {agency} nhận được đơn {noun}"
    if case.letter_date is not None:
        received += f" đề {vn_date(case.letter_date)}"
    body = [f"{received} (mã hồ sơ: {clean_line(case.number)}) về việc {_subject(case.subject)}."]
    if not hidden:
        body.append(f"Đơn ghi tên ông (bà): {clean_line(case.submitter_name or '')}.")
        if clean_line(case.submitter_address or ""):
            body.append(f"Địa chỉ: {clean_line(case.submitter_address or '')}.")
    if clean_line(case.respondent or ""):
        body.append(f"{_RESPONDENT_LABEL[case.kind]}: {clean_line(case.respondent or '')}.")
    body += prefixed("Nội dung đơn: ", case.content)
    if case.kind == "denunciation":
        body.append(
            "Thông tin về người tố cáo được giữ bí mật theo quy định tại Điều 47 "
            f"{_DENUNCIATION_LAW}; đề nghị {competent} thực hiện việc bảo vệ người tố cáo "
            "theo quy định."
        )
    basis = LAW[case.kind]
    if basis != _CIRCULAR_05:
        basis = f"{basis} và {_CIRCULAR_05}"
    body.append(
        f"Căn cứ {basis}, {agency} chuyển đơn đến {competent} để xem xét, giải quyết theo "
        f"thẩm quyền và thông báo kết quả giải quyết cho {agency} biết./."
    )
    return body


def acceptance(case: CaseFacts, agency: str, accepted_on: date) -> list[str]:
    """The paragraphs saying the case was accepted (thụ lý), with their legal basis."""
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
        f"Căn cứ {_CIRCULAR_05}, {agency} đã tiếp nhận và xem xét, giải quyết {NOUN[case.kind]} "
        f"nêu trên theo thẩm quyền kể từ {since}; kết quả giải quyết sẽ được thông báo bằng "
        "văn bản."
    ]


def non_acceptance(case: CaseFacts, agency: str, ground: str) -> list[str]:
    """The paragraphs saying the case was not accepted, and why."""
    if case.kind == "complaint":
        opening = (
            f"Căn cứ Điều 11 và Điều {27 if case.round == 1 else 36} {_COMPLAINT_LAW}, "
            f"{agency} không thụ lý giải quyết khiếu nại nêu trên."
        )
    elif case.kind == "denunciation":
        opening = f"Căn cứ Điều 27 {_DENUNCIATION_LAW}, {agency} không thụ lý tố cáo nêu trên."
    else:
        opening = (
            f"Căn cứ {_CIRCULAR_05}, {agency} không xem xét, giải quyết {NOUN[case.kind]} nêu trên."
        )
    return [opening, *prefixed("Lý do: ", ground)]


def extension(case: CaseFacts, agency: str, until: date) -> str:
    """The sentence extending the time limit until `until`."""
    noun = NOUN[case.kind]
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


def rights_after_result(case: CaseFacts, you: str) -> str | None:
    """What the submitter may do next if they disagree with the result; None for petitions
    and reflections."""
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


def addressee(case: CaseFacts) -> str:
    """Who the "Kính gửi" line names: the submitter, or their role when confidential."""
    name = clean_line(case.submitter_name or "")
    return f"Ông (Bà) {name}" if name else _capitalise(ROLE[case.kind])


def agency_in_text(agency: Agency) -> str:
    """The agency's name as written inside a sentence ("Sở Thông tin và Truyền thông").

    Decree 30/2020 Appendix II capitalises the first letter of the type of body and of each
    phrase naming its field. For an upper-case "SỞ …" / "BAN …" name that is the first word, the
    word after it, and the word after each comma or "và"; other names are used as given, so set
    `name_in_text` for anything this rule gets wrong.
    """
    if agency.name_in_text:
        return clean_line(agency.name_in_text)
    name = clean_line(agency.name)
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


def redactor(case: CaseFacts) -> Callable[[str], str]:
    """Replace the submitter's name, address and ID number wherever they appear in a text."""
    patterns: list[str] = []
    for value in (case.submitter_name, case.submitter_address, case.submitter_id_number):
        words = clean_line(value or "").split()
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


def prefixed(prefix: str, text: str) -> list[str]:
    """`text` as paragraphs, the first one after `prefix` ("Nội dung đơn: …")."""
    lines = text_lines(text)
    if not lines:
        return []
    if lines[-1][-1] not in '.!?:;…)"”':
        lines[-1] += "."
    return [f"{prefix}{lines[0]}", *lines[1:]]


def required(value: str | None, option: str) -> str:
    """`value` cleaned; ValueError naming `option` when it is missing or blank."""
    if value is None or not clean_line(value):
        raise ValueError(f"{option} is required for this notice")
    return clean_line(value)


def _subject(subject: str) -> str:
    text = clean_line(subject).rstrip(".;")
    return re.sub(r"^về việc\s+", "", text, flags=re.IGNORECASE)


def recipient(line: str) -> str:
    """A "Nơi nhận" line without its leading dash and trailing punctuation."""
    return clean_line(line).lstrip("-– ").rstrip(".;, ")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
