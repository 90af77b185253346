"""Official notices (.docx): every kind builds and reads back, the Decree 30/2020 layout, the
wording per kind, and that a denouncer's or a confidential submitter's identity never leaks."""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import replace
from datetime import date
from io import BytesIO
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from portal.lib.documents import (
    CASE_KINDS,
    NOTICE_KINDS,
    Agency,
    CaseFacts,
    build_notice,
    compose_notice,
    notice_paragraphs,
    notice_title,
    vn_date,
)

AGENCY = Agency(
    parent="ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
    name="SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    place="Tây Ninh",
    signer_title="GIÁM ĐỐC",
    signer_name="Lê Văn Minh",
    symbol="STTTT",
)
NAME = "Trần Thị Hoa"
ADDRESS = "số 12 đường Trưng Nữ Vương, phường Tân Ninh, tỉnh Tây Ninh"
ID_NUMBER = "072190001234"
CASE = CaseFacts(
    number="2026/0012",
    kind="complaint",
    received_on=date(2026, 3, 5),
    letter_date=date(2026, 3, 2),
    submitter_name=NAME,
    submitter_address=ADDRESS,
    submitter_id_number=ID_NUMBER,
    subject="Quyết định số 15/QĐ-STTTT về xử phạt vi phạm hành chính",
    content="Tôi không đồng ý với mức phạt.\nĐề nghị xem xét lại.",
    respondent="Chánh Thanh tra Sở",
)
ISSUED = date(2026, 3, 10)
OPTIONS: dict[str, Any] = {
    "issued_on": ISSUED,
    "ground": "Thời hiệu khiếu nại đã hết.",
    "forwarded_to": "Ủy ban nhân dân phường Tân Ninh",
    "extension_until": date(2026, 5, 20),
    "reason": "Vụ việc phức tạp, cần xác minh tại nhiều nơi",
    "result_text": "Giữ nguyên Quyết định số 15/QĐ-STTTT.",
    "recipients": ["Thanh tra tỉnh (để báo cáo)"],
}


def _open(data: bytes) -> Any:
    return docx.Document(BytesIO(data))


def _all_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def _xml(data: bytes) -> str:
    """Every XML part of the package, so nothing hides in properties or headers."""
    with zipfile.ZipFile(BytesIO(data)) as package:
        return "\n".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        )


def _body(document: Any) -> list[str]:
    """The top-level paragraphs after "Kính gửi": the notice body."""
    texts = [p.text for p in document.paragraphs]
    start = next(i for i, text in enumerate(texts) if text.startswith("Kính gửi: "))
    return texts[start + 1 :]


@pytest.mark.parametrize("case_kind", CASE_KINDS)
@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_every_kind_builds_in_the_official_layout(kind: str, case_kind: str) -> None:
    case = replace(CASE, kind=case_kind)
    data = build_notice(kind, AGENCY, case, **OPTIONS)  # type: ignore[arg-type]
    document = _open(data)
    text = _all_text(document)

    assert "2026/0012" in text
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in text
    assert "None" not in text
    assert unicodedata.is_normalized("NFC", text)

    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert Pt(13) <= normal.font.size <= Pt(14)

    section = document.sections[0]
    # Word stores lengths in twips, so millimetres come back rounded.
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20

    header = document.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in right.paragraphs if p.text][:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert "Tây Ninh, ngày 10 tháng 3 năm 2026" in right.text
    assert "ỦY BAN NHÂN DÂN TỈNH TÂY NINH" in left.text

    expected = notice_paragraphs(kind, AGENCY, case, **OPTIONS)  # type: ignore[arg-type]
    assert _body(document) == expected
    assert expected[-1].endswith("./.")
    title = compose_notice(kind, AGENCY, case, **OPTIONS).title  # type: ignore[arg-type]
    assert [p.text for p in document.paragraphs[: len(title)]] == list(title)
    assert " ".join(title) == notice_title(kind, case_kind)  # type: ignore[arg-type]


def test_header_table_is_borderless_with_the_decree_30_emphasis() -> None:
    document = _open(build_notice("acceptance", AGENCY, CASE, **OPTIONS))
    header = document.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}

    left, right = header.rows[0].cells
    runs = {p.text: p.runs[0] for p in [*left.paragraphs, *right.paragraphs] if p.runs}
    assert not runs["ỦY BAN NHÂN DÂN TỈNH TÂY NINH"].bold
    assert runs["SỞ THÔNG TIN VÀ TRUYỀN THÔNG"].bold
    assert runs["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"].bold
    assert runs["Độc lập - Tự do - Hạnh phúc"].bold
    assert runs["Tây Ninh, ngày 10 tháng 3 năm 2026"].italic
    assert Pt(12) <= runs["ỦY BAN NHÂN DÂN TỈNH TÂY NINH"].font.size <= Pt(13)
    assert any(p.text.startswith("Số: ") and p.text.endswith("/TB-STTTT") for p in left.paragraphs)
    # The short rules under the agency name and the tiêu ngữ.
    assert len(header._tbl.xpath(".//w:pBdr/w:top")) == 2


def test_title_body_and_closing_blocks() -> None:
    document = _open(build_notice("acceptance", AGENCY, CASE, **OPTIONS))
    title, subject, salutation, *body = document.paragraphs
    assert title.text == "THÔNG BÁO"
    assert subject.text == "Về việc thụ lý giải quyết khiếu nại lần đầu"
    for paragraph in (title, subject):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert paragraph.runs[0].bold
    assert salutation.text == f"Kính gửi: Ông (Bà) {NAME}"
    for paragraph in body:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert round(paragraph.paragraph_format.first_line_indent.cm, 2) == 1

    left, right = document.tables[1].rows[0].cells
    label, *items = [p for p in left.paragraphs if p.text]
    assert label.text == "Nơi nhận:"
    assert label.runs[0].bold and label.runs[0].italic
    assert label.runs[0].font.size == Pt(12)
    assert [p.text for p in items] == [
        "- Như trên;",
        "- Thanh tra tỉnh (để báo cáo);",
        "- Lưu: VT, hồ sơ 2026/0012.",
    ]
    assert all(p.runs[0].font.size == Pt(11) for p in items)

    signature = right.paragraphs
    assert signature[0].text == "GIÁM ĐỐC" and signature[0].runs[0].bold
    assert signature[-1].text == "Lê Văn Minh" and signature[-1].runs[0].bold
    assert sum(1 for p in signature if not p.text) >= 3  # room for the signature and seal


def test_deputy_signs_on_behalf_of_the_director() -> None:
    deputy = replace(AGENCY, signer_title="KT. Giám đốc\nPhó Giám đốc", signer_name="Võ Thị Lan")
    document = _open(build_notice("acceptance", deputy, CASE, **OPTIONS))
    signature = [p.text for p in document.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert signature == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Võ Thị Lan"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (date(2026, 1, 9), "ngày 09 tháng 01 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
        (date(2026, 10, 1), "ngày 01 tháng 10 năm 2026"),
    ],
)
def test_dates_in_the_decree_30_form(day: date, expected: str) -> None:
    assert vn_date(day) == expected


def test_titles() -> None:
    assert notice_title("acceptance", "complaint") == (
        "THÔNG BÁO Về việc thụ lý giải quyết khiếu nại lần đầu"
    )
    assert notice_title("acceptance", "complaint", round=2) == (
        "THÔNG BÁO Về việc thụ lý giải quyết khiếu nại lần hai"
    )
    assert notice_title("acceptance", "denunciation") == "THÔNG BÁO Về việc thụ lý tố cáo"
    assert notice_title("forwarding_slip", "petition") == "PHIẾU CHUYỂN ĐƠN"
    assert notice_title("extension", "denunciation") == (
        "THÔNG BÁO Về việc gia hạn giải quyết tố cáo"
    )
    assert notice_title("non_acceptance", "denunciation") == (
        "THÔNG BÁO Về việc không thụ lý tố cáo"
    )
    assert notice_title("result", "reflection") == "THÔNG BÁO Về kết quả giải quyết phản ánh"
    with pytest.raises(ValueError):
        notice_title("summons", "complaint")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        notice_title("acceptance", "lawsuit")
    with pytest.raises(ValueError):
        notice_title("acceptance", "complaint", round=3)


def test_complaint_acceptance_cites_the_law_and_the_date() -> None:
    body = " ".join(notice_paragraphs("acceptance", AGENCY, CASE, **OPTIONS))
    assert "Điều 27 Luật Khiếu nại năm 2011" in body
    assert "đã thụ lý giải quyết khiếu nại lần đầu kể từ ngày 10 tháng 3 năm 2026" in body
    assert "Ngày 05 tháng 3 năm 2026, Sở Thông tin và Truyền thông nhận được đơn" in body
    assert "đề ngày 02 tháng 3 năm 2026" in body
    assert NAME in body and ADDRESS in body and ID_NUMBER in body

    second = replace(CASE, round=2)
    later = {**OPTIONS, "accepted_on": date(2026, 3, 12)}
    body = " ".join(notice_paragraphs("acceptance", AGENCY, second, **later))
    assert "Điều 36 Luật Khiếu nại năm 2011" in body
    assert "lần hai kể từ ngày 12 tháng 3 năm 2026" in body


def test_denunciation_acceptance_and_extension_cite_the_law_on_denunciations() -> None:
    case = replace(CASE, kind="denunciation")
    body = " ".join(notice_paragraphs("acceptance", AGENCY, case, **OPTIONS))
    assert "Điều 29 Luật Tố cáo năm 2018" in body
    assert "đã thụ lý tố cáo kể từ ngày 10 tháng 3 năm 2026" in body
    # The notice may be copied to others: no address or ID number of the denouncer.
    assert ADDRESS not in body and ID_NUMBER not in body

    body = " ".join(notice_paragraphs("extension", AGENCY, case, **OPTIONS))
    assert "Điều 30 Luật Tố cáo năm 2018" in body
    assert "đến hết ngày 20 tháng 5 năm 2026" in body
    assert "Lý do gia hạn: Vụ việc phức tạp, cần xác minh tại nhiều nơi." in body


def test_other_kinds_carry_their_own_text() -> None:
    body = notice_paragraphs("non_acceptance", AGENCY, CASE, **OPTIONS)
    assert "Lý do: Thời hiệu khiếu nại đã hết." in body
    body = notice_paragraphs("guidance", AGENCY, CASE, **OPTIONS)
    assert any("không thuộc thẩm quyền giải quyết" in p for p in body)
    assert body[-1].startswith("Đề nghị ông (bà) gửi đơn đến Ủy ban nhân dân phường Tân Ninh")
    body = notice_paragraphs("result", AGENCY, CASE, **OPTIONS)
    assert "Giữ nguyên Quyết định số 15/QĐ-STTTT." in body
    assert any("khiếu nại lần hai hoặc khởi kiện vụ án hành chính" in p for p in body)
    body = notice_paragraphs("extension", AGENCY, CASE, **OPTIONS)
    assert any("Luật Khiếu nại năm 2011" in p and "20 tháng 5 năm 2026" in p for p in body)


def test_complaint_forwarding_slip_names_the_complainant() -> None:
    notice = compose_notice("forwarding_slip", AGENCY, CASE, **OPTIONS)
    assert notice.salutation == "Kính gửi: Ủy ban nhân dân phường Tân Ninh"
    assert notice.number_line.endswith("/PC-STTTT")
    assert f"Đơn ghi tên ông (bà): {NAME}." in notice.paragraphs
    assert f"Địa chỉ: {ADDRESS}." in notice.paragraphs
    assert "Nội dung đơn: Tôi không đồng ý với mức phạt." in notice.paragraphs


def test_denunciation_forwarding_slip_never_identifies_the_denouncer() -> None:
    case = replace(
        CASE,
        kind="denunciation",
        # The denouncer repeats their identity inside the letter, ID number spaced out.
        content=f"Tôi là {NAME.upper()}, CCCD 072 190 001 234, ở {ADDRESS}.\nTố cáo ông X.",
    )
    options = {**OPTIONS, "recipients": [f"Ông (bà) {NAME} (để biết)"]}
    data = build_notice("forwarding_slip", AGENCY, case, **options)
    text = _all_text(_open(data))
    xml = _xml(data)
    for secret in (NAME, ADDRESS, ID_NUMBER, "Trưng Nữ Vương", "001 234"):
        assert secret.casefold() not in text.casefold()
        assert secret.casefold() not in xml.casefold()
    assert "Tố cáo ông X." in text
    assert "Điều 47 Luật Tố cáo năm 2018" in text
    assert "[…]" in text


@pytest.mark.parametrize("case_kind", CASE_KINDS)
@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_confidential_case_prints_no_identity_and_no_none(kind: str, case_kind: str) -> None:
    case = replace(CASE, kind=case_kind, submitter_name=None, letter_date=None, respondent=None)
    data = build_notice(kind, AGENCY, case, **OPTIONS)  # type: ignore[arg-type]
    text = _all_text(_open(data))
    assert "None" not in text
    assert ADDRESS not in text and ID_NUMBER not in text
    assert "đề ngày" not in text
    if kind != "forwarding_slip":
        role = {"complaint": "khiếu nại", "denunciation": "tố cáo"}.get(case_kind)
        if role:
            assert f"Kính gửi: Người {role}" in text


def test_confidential_free_text_is_redacted_but_not_the_fixed_wording() -> None:
    case = replace(
        CASE,
        submitter_name=None,
        subject=f"Phản ánh tại {ADDRESS}",
        content=f"Số CCCD của tôi là {ID_NUMBER}.",
    )
    notice = compose_notice("guidance", AGENCY, case, **OPTIONS)
    text = " ".join([notice.salutation, *notice.paragraphs, *notice.recipients])
    assert ID_NUMBER not in text and ADDRESS not in text
    assert "Nội dung đơn: Số CCCD của tôi là […]." in notice.paragraphs
    assert "về việc Phản ánh tại […]." in notice.paragraphs[0]
    assert notice.paragraphs[-1].startswith(
        "Đề nghị người khiếu nại gửi đơn đến Ủy ban nhân dân phường Tân Ninh"
    )


def test_document_number_and_blank_number() -> None:
    numbered = compose_notice("acceptance", AGENCY, CASE, document_number="12", **OPTIONS)
    assert numbered.number_line == "Số: 12/TB-STTTT"
    full = compose_notice("acceptance", AGENCY, CASE, document_number="12/TB-STTTT", **OPTIONS)
    assert full.number_line == "Số: 12/TB-STTTT"
    blank = compose_notice("acceptance", AGENCY, CASE, **OPTIONS)
    assert blank.number_line.startswith("Số: ") and blank.number_line.endswith(" /TB-STTTT")
    document = _open(build_notice("acceptance", AGENCY, CASE, **OPTIONS))
    assert blank.number_line in document.tables[0].rows[0].cells[0].text


def test_agency_name_inside_sentences() -> None:
    culture = replace(AGENCY, name="SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
    body = notice_paragraphs("acceptance", culture, CASE, **OPTIONS)
    assert "Sở Văn hóa, Thể thao và Du lịch nhận được đơn" in body[0]
    named = replace(AGENCY, name="BAN QUẢN LÝ KHU KINH TẾ", name_in_text="Ban Quản lý Khu kinh tế")
    assert (
        "Ban Quản lý Khu kinh tế nhận được đơn"
        in notice_paragraphs("acceptance", named, CASE, **OPTIONS)[0]
    )


def test_recipients_are_normalised_into_list_lines() -> None:
    options = {**OPTIONS, "recipients": ["- Thanh tra tỉnh;", "Chánh Thanh tra Sở.", "  "]}
    notice = compose_notice("acceptance", AGENCY, CASE, **options)
    assert notice.recipients == (
        "- Như trên;",
        "- Thanh tra tỉnh;",
        "- Chánh Thanh tra Sở;",
        "- Lưu: VT, hồ sơ 2026/0012.",
    )


def test_text_is_nfc_and_free_of_xml_illegal_characters() -> None:
    case = replace(
        CASE,
        submitter_name=unicodedata.normalize("NFD", NAME),
        content="Nội dung\x00 có ký tự\x0b lạ",
    )
    data = build_notice("guidance", AGENCY, case, **OPTIONS)
    text = _all_text(_open(data))
    assert NAME in text
    assert "Nội dung có ký tự lạ." in text
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        ("non_acceptance", "ground"),
        ("forwarding_slip", "forwarded_to"),
        ("guidance", "forwarded_to"),
        ("extension", "extension_until"),
        ("extension", "reason"),
        ("result", "result_text"),
    ],
)
def test_required_options(kind: str, missing: str) -> None:
    options = {**OPTIONS, missing: None}
    with pytest.raises(ValueError, match=missing):
        build_notice(kind, AGENCY, CASE, **options)  # type: ignore[arg-type]


def test_impossible_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="received"):
        build_notice("acceptance", AGENCY, CASE, **{**OPTIONS, "issued_on": date(2026, 3, 1)})
    with pytest.raises(ValueError, match="extension_until"):
        build_notice("extension", AGENCY, CASE, **{**OPTIONS, "extension_until": ISSUED})
    with pytest.raises(ValueError, match="case kind"):
        build_notice("acceptance", AGENCY, replace(CASE, kind="lawsuit"), **OPTIONS)
