"""Spreadsheet (.xlsx) exports: registers and lists for the department's staff.

Every sheet has the same shape: a title in row 1, an optional subtitle in row 2, the column
headers in row 3 (bold, frozen, with an autofilter) and the data from row 4 on, each cell
boxed and wrapped for printing; A4 landscape, one page wide, the header row on every page.

Size: the rows may be a generator of any length. Each row is turned into XML as it comes and
appended to a temporary file (`portal.lib.xlsx`), so the memory held does not grow with the
rows, and a 100,000-row list takes a few seconds (docs/performance.md). `workbook_file`
leaves the result in a temporary file for the download; `workbook_bytes` returns it.

Formula injection: every string is written as a string cell (an inline string), whatever it
starts with, so a citizen's "=HYPERLINK(…)" is never a live formula in the department's
Excel, and the text stays exactly as the citizen wrote it (no added apostrophe). Cells that
look like formulas (=, +, -, @, tab, CR first) also get Excel's "quote prefix" style, which
is what typing a leading apostrophe in Excel records, so editing such a cell in Excel keeps
it as text instead of turning it into a formula.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from typing import IO, Final

from portal.domain.calendar import VIETNAM_TZ
from portal.lib.xlsx import QUOTED, SheetWriter, Style, column_letter, number_cell, serial
from portal.lib.xlsx import text_cell as _text_cell
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

Subtitle = str | Callable[[int], str] | None
"""A subtitle, or a function of the number of data rows that gives it (it is written last,
so it may say how many rows the sheet holds)."""

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
_MIN_WIDTH, _MAX_WIDTH = 10, 50
_FIRST: Final = frozenset((*FORMULA_TRIGGERS, " "))  # a text starting otherwise is no formula


def looks_like_formula(value: object) -> bool:
    """True for a string a spreadsheet would read as a formula if it were typed in."""
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_TRIGGERS)


def write_workbook(
    target: IO[bytes],
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    column_widths: Sequence[float] | None = None,
    subtitle: Subtitle = None,
) -> int:
    """Write the sheet into `target` (a binary file open for writing) and return the number
    of data rows.

    `rows` may be a generator; a row shorter than `headers` leaves the rest blank, a longer
    one is an error. Text is written in NFC without the characters XML cannot hold; None is
    an empty cell; dates are real dates shown dd/mm/yyyy, and an aware moment is shown as
    Vietnam's wall-clock time. Without `column_widths` each column is sized to its longest
    line (10 to 50 characters).
    """
    if not headers:
        raise ValueError("a sheet needs at least one column")
    columns = len(headers)
    sheet = SheetWriter(columns, first_row=FIRST_DATA_ROW)
    try:
        widths = [_display_width(_text(header)) for header in headers]
        measure = column_widths is None
        letters = sheet.letters
        for values in rows:
            row = sheet.next_row
            if len(values) > columns:
                raise ValueError(f"row {row} has {len(values)} cells for {columns} columns")
            cells = []
            for index, value in enumerate(values):
                if value.__class__ is str:  # most cells: the short way
                    text = _text(value)
                    style = _quoted(Style.TEXT, text) if text[:1] in _FIRST else Style.TEXT
                    cells.append(_text_cell(f"{letters[index]}{row}", text, style))
                    width = _display_width(text) if measure else 0
                else:
                    xml, width = _cell(f"{letters[index]}{row}", value)
                    cells.append(xml)
                if measure and width > widths[index]:
                    widths[index] = width
            for index in range(len(values), columns):
                cells.append(f'<c r="{letters[index]}{row}" s="{Style.TEXT:d}"/>')
            sheet.add_row(cells)
        count = sheet.last_row - HEADER_ROW
        subtitle_text = subtitle(count) if callable(subtitle) else subtitle
        last = column_letter(columns)
        head = [_banner(TITLE_ROW, title, Style.TITLE)]
        merged = [f"A{TITLE_ROW}:{last}{TITLE_ROW}"]
        if subtitle_text:
            head.append(_banner(SUBTITLE_ROW, subtitle_text, Style.SUBTITLE))
            merged.append(f"A{SUBTITLE_ROW}:{last}{SUBTITLE_ROW}")
        head.append(
            f'<row r="{HEADER_ROW}">'
            + "".join(
                _text_cell(f"{letter}{HEADER_ROW}", value, _quoted(Style.HEADER, value))
                for letter, value in zip(letters, (_text(h) for h in headers), strict=True)
            )
            + "</row>"
        )
        chosen = (
            list(column_widths[:columns])
            if column_widths is not None
            else [min(_MAX_WIDTH, max(_MIN_WIDTH, w)) for w in widths]
        )
        chosen += [_MIN_WIDTH] * (columns - len(chosen))
        sheet.finish(
            target,
            sheet_name=_sheet_name(title),
            head_rows=head,
            widths=chosen,
            merged=merged if columns > 1 else [],
            frozen_rows=HEADER_ROW,
            autofilter=f"A{HEADER_ROW}:{last}{max(sheet.last_row, HEADER_ROW)}",
            print_title_row=HEADER_ROW,
            title=_text(title),
            language="vi-VN",
        )
    finally:
        sheet.close()
    return count


def workbook_file(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    column_widths: Sequence[float] | None = None,
    subtitle: Subtitle = None,
) -> tuple[IO[bytes], int]:
    """The sheet in a temporary file, rewound (it disappears when closed), and the number
    of data rows: for a download of any size, sent from the file."""
    target = tempfile.TemporaryFile()  # noqa: SIM115  (the caller closes it)
    try:
        count = write_workbook(
            target, title, headers, rows, column_widths=column_widths, subtitle=subtitle
        )
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target, count


def workbook_bytes(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    column_widths: Sequence[float] | None = None,
    subtitle: Subtitle = None,
) -> bytes:
    """The sheet as bytes (for small sheets: statistics, a report's figures)."""
    buffer = BytesIO()
    write_workbook(buffer, title, headers, rows, column_widths=column_widths, subtitle=subtitle)
    return buffer.getvalue()


def reception_register_file(
    month_label: str, rows: Iterable[Sequence[object]]
) -> tuple[IO[bytes], int]:
    """The Sổ tiếp công dân for one period; `rows` hold the 12 columns in order."""
    return workbook_file(
        "SỔ TIẾP CÔNG DÂN",
        RECEPTION_REGISTER_HEADERS,
        rows,
        column_widths=RECEPTION_REGISTER_WIDTHS,
        subtitle=month_label,
    )


def reception_register_bytes(month_label: str, rows: Iterable[Sequence[object]]) -> bytes:
    """The same as bytes."""
    file, _count = reception_register_file(month_label, rows)
    with file:
        return file.read()


def _cell(reference: str, value: object) -> tuple[str, int]:
    """The XML of one data cell and its display width."""
    if value is None:
        return f'<c r="{reference}" s="{Style.TEXT:d}"/>', 0
    if isinstance(value, str):
        text = _text(value)
        return _text_cell(reference, text, _quoted(Style.TEXT, text)), _display_width(text)
    if isinstance(value, bool | int) or (
        isinstance(value, float | Decimal) and math.isfinite(value)
    ):
        return number_cell(reference, value, Style.TEXT), len(str(value)) + 2
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            # Excel has no time zones: show the moment as Vietnam's wall-clock time.
            value = value.astimezone(_VIETNAM).replace(tzinfo=None)
        return _moment(reference, serial(value), Style.DATETIME), 16
    if isinstance(value, date):
        return _moment(reference, serial(value), Style.DATE), 10
    if isinstance(value, time):
        return _moment(reference, serial(value), Style.TIME), 7
    text = _text(value)  # anything else (an infinite number too) as its text
    return _text_cell(reference, text, _quoted(Style.TEXT, text)), _display_width(text)


def _moment(reference: str, number: str, style: Style) -> str:
    return f'<c r="{reference}" s="{style:d}"><v>{number}</v></c>'


def _quoted(style: Style, text: str) -> Style:
    return QUOTED[style] if looks_like_formula(text) else style


def _text(value: object) -> str:
    return xml_text(str(value))[:MAX_CELL_TEXT]


def _banner(row: int, text: str, style: Style) -> str:
    value = _text(text)
    return f'<row r="{row}">{_text_cell(f"A{row}", value, _quoted(style, value))}</row>'


def _sheet_name(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, not blank, not "History"."""
    name = _SHEET_NAME_FORBIDDEN.sub(" ", _text(title)).strip(" '")[:31].strip(" '")
    return name if name and name.lower() != "history" else "Sheet1"


def _display_width(text: str) -> int:
    if "\n" not in text:
        return len(text) + 2
    return max((len(line) for line in text.splitlines()), default=0) + 2
