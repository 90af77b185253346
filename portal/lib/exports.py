"""Spreadsheet (.xlsx) exports: registers and lists for the department's staff.

Every sheet has the same shape: a title in row 1, an optional subtitle in row 2, the column
headers in row 3 (bold, frozen, with an autofilter) and the data from row 4 on.

Formula injection: openpyxl stores any string that starts with "=" as a formula (`<f>`), so a
citizen's "=HYPERLINK(…)" would become a live formula in the department's Excel. Every string is
therefore written as a string cell (data type "s"), whatever it starts with: a string cell is
never evaluated, and the text stays exactly as the citizen wrote it (no added apostrophe). Cells
that look like formulas (=, +, -, @, tab, CR first) also get Excel's "quote prefix" style, which
is what typing a leading apostrophe in Excel records, so editing such a cell in Excel keeps it
as text instead of turning it into a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from typing import Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from portal.domain.calendar import VIETNAM_TZ
from portal.lib.xmltext import xml_text

TITLE_ROW: Final = 1
SUBTITLE_ROW: Final = 2
HEADER_ROW: Final = 3
FIRST_DATA_ROW: Final = HEADER_ROW + 1

DATE_FORMAT: Final = "dd/mm/yyyy"
DATETIME_FORMAT: Final = "dd/mm/yyyy hh:mm"
TIME_FORMAT: Final = "hh:mm"
MAX_CELL_TEXT: Final = 32_767  # Excel's limit; longer text makes Excel "repair" the file

FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet application read text as a formula (OWASP)."""

RECEPTION_REGISTER_HEADERS: Final[tuple[str, ...]] = (
    "STT",
    "Ngày tiếp",
    "Họ tên - Địa chỉ",
    "Số CMND/Hộ chiếu/Căn cước",
    "Nội dung vụ việc",
    "Phân loại đơn / Số người",
    "Cơ quan đã giải quyết",
    "Hướng xử lý: Thụ lý để giải quyết",
    "Hướng xử lý: Trả lại đơn và hướng dẫn",
    "Hướng xử lý: Chuyển đơn đến cơ quan, tổ chức, đơn vị có thẩm quyền",
    "Theo dõi kết quả giải quyết",
    "Ghi chú",
)
"""The 12 columns of the Sổ tiếp công dân (Mẫu số 03, Thông tư 04/2021/TT-TTCP), in order."""

RECEPTION_REGISTER_WIDTHS: Final[tuple[int, ...]] = (6, 12, 30, 16, 45, 16, 20, 14, 14, 18, 24, 16)

_VIETNAM: Final = VIETNAM_TZ
_SHEET_NAME_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\]")
_THIN: Final = Side(style="thin", color="000000")
_BOX: Final = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP: Final = Alignment(wrap_text=True, vertical="top")


def looks_like_formula(value: object) -> bool:
    """True for a string a spreadsheet would read as a formula if it were typed in."""
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_TRIGGERS)


def neutralise(cell: Cell) -> Cell:
    """Make a cell holding a string a plain text cell; leave other cells alone.

    The value is not changed: the protection is the cell's type (never "f") and, for
    formula-looking text, the quote-prefix style.
    """
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True
    return cell


def write_cell(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write one value: text as text, dates as real dates (dd/mm/yyyy), numbers as numbers."""
    cell = ws.cell(row=row, column=column)
    value = _plain(value)
    cell.value = value
    neutralise(cell)
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, time):
        cell.number_format = TIME_FORMAT
    return cell


def write_row(ws: Worksheet, row: int, values: Sequence[object]) -> list[Cell]:
    """Write `values` into `row`, from column A on."""
    return [write_cell(ws, row, column, value) for column, value in enumerate(values, start=1)]


def workbook_bytes(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    column_widths: Sequence[int] | None = None,
    subtitle: str | None = None,
) -> bytes:
    """One sheet: title, optional subtitle, bold frozen header row with an autofilter, data.

    `rows` may be a generator; a row shorter than `headers` leaves the rest blank, a longer
    one is an error. Without `column_widths` each column is sized to its longest line (10 to
    50 characters). None is written as an empty cell.
    """
    if not headers:
        raise ValueError("a sheet needs at least one column")
    columns = len(headers)
    last = get_column_letter(columns)
    workbook = Workbook()
    ws = workbook.active
    ws.title = _sheet_name(title)
    workbook.properties.title = _text(title)
    workbook.properties.creator = "portal"
    workbook.properties.language = "vi-VN"

    _banner(ws, TITLE_ROW, title, columns, Font(bold=True, size=14))
    if subtitle:
        _banner(ws, SUBTITLE_ROW, subtitle, columns, Font(italic=True, size=12))

    widths = [_display_width(header) for header in headers]
    bold = Font(bold=True)
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in write_row(ws, HEADER_ROW, headers):
        cell.font = bold
        cell.alignment = header_alignment
        cell.border = _BOX

    row_number = HEADER_ROW
    for row_number, values in enumerate(rows, start=FIRST_DATA_ROW):
        if len(values) > columns:
            raise ValueError(f"row {row_number} has {len(values)} cells for {columns} columns")
        padded = [*values, *([None] * (columns - len(values)))]
        for index, cell in enumerate(write_row(ws, row_number, padded)):
            cell.alignment = _WRAP_TOP
            cell.border = _BOX
            widths[index] = max(widths[index], _display_width(cell.value))

    chosen = column_widths if column_widths is not None else [min(50, max(10, w)) for w in widths]
    for index, width in enumerate(chosen[:columns], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(row_number, HEADER_ROW)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def reception_register_bytes(month_label: str, rows: Iterable[Sequence[object]]) -> bytes:
    """The Sổ tiếp công dân for one period; `rows` hold the 12 columns in order."""
    return workbook_bytes(
        "SỔ TIẾP CÔNG DÂN",
        RECEPTION_REGISTER_HEADERS,
        rows,
        column_widths=RECEPTION_REGISTER_WIDTHS,
        subtitle=month_label,
    )


def _plain(value: object) -> object:
    """A value openpyxl can store as is: None, bool, number, date/time or NFC text."""
    if value is None or isinstance(value, bool | int | float | Decimal | time):
        return value
    if isinstance(value, datetime):
        # Excel has no time zones: show the moment as Vietnam's wall-clock time.
        if value.tzinfo is not None:
            return value.astimezone(_VIETNAM).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return value
    return _text(value)


def _text(value: object) -> str:
    return xml_text(str(value))[:MAX_CELL_TEXT]


def _banner(ws: Worksheet, row: int, text: str, columns: int, font: Font) -> None:
    cell = write_cell(ws, row, 1, text)
    cell.font = font
    cell.alignment = Alignment(horizontal="center", vertical="center")
    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)


def _sheet_name(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, not blank."""
    name = _SHEET_NAME_FORBIDDEN.sub(" ", _text(title)).strip(" '")[:31].strip()
    return name or "Sheet1"


def _display_width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0) + 2
