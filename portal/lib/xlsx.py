"""A streaming writer of one-sheet .xlsx packages (Office Open XML SpreadsheetML).

Why not a library: openpyxl spends about 60 µs on a styled cell and holds the whole sheet in
memory; XlsxWriter in constant-memory mode holds one row but still spends 20-25 µs on a cell
on the department's server (docs/performance.md, 2026-12-06), so 100,000 rows of 12 columns
took 24-30 s. The sheets the portal exports are all alike (a banner, one header row, rows
of text, numbers and dates, fixed styles), and writing their XML directly costs 2-3 µs a cell.

How: `SheetWriter.add_row` turns each row into the XML of its `<row>` element at once and
appends it to a temporary file (nothing of the row stays in memory). `SheetWriter.finish`
then writes the package into `target`: the parts that do not depend on the rows, and the
worksheet, whose head (column widths, the banner and header rows, which may depend on the
number of rows) comes before the rows copied from the temporary file. The styles are a
fixed table (`Style`).

Every string is an inline string cell (`t="inlineStr"`): never a formula, whatever it starts
with. The caller chooses the styles; `portal.lib.exports` is the one caller.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import IntEnum
from typing import IO, Final
from xml.sax.saxutils import quoteattr

SPREADSHEET_NS: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DECLARATION: Final = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_EPOCH: Final = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (after Feb 1900)
_EPOCH_DAY: Final = _EPOCH.date()
_SPECIAL: Final = re.compile(r"[&<>\r]|_x[0-9A-Fa-f]{4}_")
_ESCAPES: Final = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}


class Style(IntEnum):
    """The cell formats of styles.xml (their index in `cellXfs`)."""

    DEFAULT = 0
    TITLE = 1  # bold 14 pt, centred
    SUBTITLE = 2  # italic 12 pt, centred
    HEADER = 3  # bold, centred, wrapped, boxed
    TEXT = 4  # wrapped, top, boxed (numbers too)
    DATE = 5  # dd/mm/yyyy, wrapped, top, boxed
    DATETIME = 6  # dd/mm/yyyy hh:mm
    TIME = 7  # hh:mm
    # The same with Excel's quote prefix (what typing a leading apostrophe records): editing
    # such a cell in Excel keeps its formula-looking text as text.
    TITLE_QUOTED = 8
    SUBTITLE_QUOTED = 9
    HEADER_QUOTED = 10
    TEXT_QUOTED = 11


QUOTED: Final = {
    Style.TITLE: Style.TITLE_QUOTED,
    Style.SUBTITLE: Style.SUBTITLE_QUOTED,
    Style.HEADER: Style.HEADER_QUOTED,
    Style.TEXT: Style.TEXT_QUOTED,
}

_FONTS: Final = (
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>',
    '<font><i/><sz val="12"/><name val="Calibri"/><family val="2"/></font>',
)
_THIN: Final = '<{0} style="thin"><color rgb="FF000000"/></{0}>'
_BORDERS: Final = (
    "<border><left/><right/><top/><bottom/><diagonal/></border>",
    "<border>"
    + "".join(_THIN.format(side) for side in ("left", "right", "top", "bottom"))
    + "<diagonal/></border>",
)
_NUMBER_FORMATS: Final = {164: "dd/mm/yyyy", 165: "dd/mm/yyyy hh:mm", 166: "hh:mm"}
_CENTRED: Final = '<alignment horizontal="center" vertical="center"/>'
_CENTRED_WRAPPED: Final = '<alignment horizontal="center" vertical="center" wrapText="1"/>'
_TOP_WRAPPED: Final = '<alignment vertical="top" wrapText="1"/>'
# Style -> (number format, font, border, alignment)
_FORMATS: Final = {
    Style.DEFAULT: (0, 0, 0, ""),
    Style.TITLE: (0, 2, 0, _CENTRED),
    Style.SUBTITLE: (0, 3, 0, _CENTRED),
    Style.HEADER: (0, 1, 1, _CENTRED_WRAPPED),
    Style.TEXT: (0, 0, 1, _TOP_WRAPPED),
    Style.DATE: (164, 0, 1, _TOP_WRAPPED),
    Style.DATETIME: (165, 0, 1, _TOP_WRAPPED),
    Style.TIME: (166, 0, 1, _TOP_WRAPPED),
}


def _xf(style: Style) -> str:
    quoted = style in QUOTED.values()
    base = next(s for s, q in QUOTED.items() if q == style) if quoted else style
    number, font, border, alignment = _FORMATS[base]
    attributes = (
        f'numFmtId="{number}" fontId="{font}" fillId="0" borderId="{border}" xfId="0"'
        + (' applyNumberFormat="1"' if number else "")
        + (' applyFont="1"' if font else "")
        + (' applyBorder="1"' if border else "")
        + (' applyAlignment="1"' if alignment else "")
        + (' quotePrefix="1"' if quoted else "")
    )
    return f"<xf {attributes}>{alignment}</xf>" if alignment else f"<xf {attributes}/>"


STYLES_XML: Final = (
    _DECLARATION
    + f'<styleSheet xmlns="{SPREADSHEET_NS}">'
    + f'<numFmts count="{len(_NUMBER_FORMATS)}">'
    + "".join(
        f"<numFmt numFmtId={quoteattr(str(i))} formatCode={quoteattr(code)}/>"
        for i, code in _NUMBER_FORMATS.items()
    )
    + f'</numFmts><fonts count="{len(_FONTS)}">{"".join(_FONTS)}</fonts>'
    + '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    + '<fill><patternFill patternType="gray125"/></fill></fills>'
    + f'<borders count="{len(_BORDERS)}">{"".join(_BORDERS)}</borders>'
    + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    + f'</cellStyleXfs><cellXfs count="{len(Style)}">{"".join(_xf(s) for s in Style)}</cellXfs>'
    + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    + '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
)

CONTENT_TYPES_XML: Final = (
    _DECLARATION
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    + '<Default Extension="rels" '
    + 'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    + '<Default Extension="xml" ContentType="application/xml"/>'
    + '<Override PartName="/xl/workbook.xml" ContentType="application/'
    + 'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    + 'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    + '<Override PartName="/xl/styles.xml" ContentType="application/'
    + 'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    + '<Override PartName="/docProps/core.xml" '
    + 'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    + "</Types>"
)
_RELATIONSHIP: Final = '<Relationship Id="{}" Type="{}" Target="{}"/>'
_OFFICE_REL: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
ROOT_RELS_XML: Final = (
    _DECLARATION
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    + _RELATIONSHIP.format("rId1", _OFFICE_REL + "officeDocument", "xl/workbook.xml")
    + _RELATIONSHIP.format(
        "rId2",
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "docProps/core.xml",
    )
    + "</Relationships>"
)
WORKBOOK_RELS_XML: Final = (
    _DECLARATION
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    + _RELATIONSHIP.format("rId1", _OFFICE_REL + "worksheet", "worksheets/sheet1.xml")
    + _RELATIONSHIP.format("rId2", _OFFICE_REL + "styles", "styles.xml")
    + "</Relationships>"
)


def escape(text: str) -> str:
    """`text` as XML element content. A carriage return is written as a character reference
    (an XML reader would read a literal one as a line feed), and text that looks like one of
    Office's own escapes (`_x000D_`) has its underscore escaped, so it reads back unchanged."""
    if _SPECIAL.search(text) is None:
        return text
    return _SPECIAL.sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    found = match.group()
    return _ESCAPES.get(found) or "_x005F_" + found[1:]


def column_letter(index: int) -> str:
    """The letters of the 1-based column `index`: 1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def serial(value: date | datetime | time) -> str:
    """A date, moment or time of day as Excel's serial number (days since 1899-12-30)."""
    if isinstance(value, datetime):
        delta: timedelta = value.replace(tzinfo=None) - _EPOCH
        return repr(delta.days + delta.seconds / 86_400 + delta.microseconds / 86_400e6)
    if isinstance(value, date):
        return str((value - _EPOCH_DAY).days)
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    return repr(seconds / 86_400)


def text_cell(reference: str, text: str, style: Style) -> str:
    """An inline-string cell: stored as text, never read as a formula."""
    return (
        f'<c r="{reference}" s="{style:d}" t="inlineStr">'
        f'<is><t xml:space="preserve">{escape(text)}</t></is></c>'
    )


def number_cell(reference: str, number: int | float | Decimal, style: Style) -> str:
    if isinstance(number, bool):
        return f'<c r="{reference}" s="{style:d}" t="b"><v>{int(number)}</v></c>'
    return f'<c r="{reference}" s="{style:d}"><v>{number}</v></c>'


class SheetWriter:
    """One sheet, written row after row to a temporary file, then packaged by `finish`."""

    def __init__(self, columns: int, *, first_row: int) -> None:
        self.columns = columns
        self.letters = [column_letter(i) for i in range(1, columns + 1)]
        self.next_row = first_row
        self._spool: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  (closed by finish)

    def add_row(self, cells: Sequence[str]) -> None:
        """Append a row whose cells are already XML (`text_cell`, `number_cell`, ...)."""
        self._spool.write(f'<row r="{self.next_row}">{"".join(cells)}</row>'.encode())
        self.next_row += 1

    @property
    def last_row(self) -> int:
        return self.next_row - 1

    def finish(
        self,
        target: IO[bytes],
        *,
        sheet_name: str,
        head_rows: Sequence[str],
        widths: Sequence[float],
        merged: Sequence[str],
        frozen_rows: int,
        autofilter: str,
        print_title_row: int,
        title: str,
        language: str,
    ) -> None:
        """Write the package into `target`. `head_rows`: the XML of the rows above the spooled
        ones (the banner and the header), in order; `widths`: one per column."""
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        last = f"{self.letters[-1]}{max(self.last_row, 1)}"
        top_left = f"A{frozen_rows + 1}"
        head = (
            _DECLARATION
            + f'<worksheet xmlns="{SPREADSHEET_NS}" xmlns:r="{RELATIONSHIPS_NS}">'
            + '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            + f'<dimension ref="A1:{last}"/>'
            + '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
            + f'<pane ySplit="{frozen_rows}" topLeftCell="{top_left}" activePane="bottomLeft"'
            + ' state="frozen"/>'
            + f'<selection pane="bottomLeft" activeCell="{top_left}" sqref="{top_left}"/>'
            + '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            + f"<cols>{cols}</cols><sheetData>"
            + "".join(head_rows)
        ).encode()
        tail = f'</sheetData><autoFilter ref="{autofilter}"/>'
        if merged:
            cells = "".join(f'<mergeCell ref="{m}"/>' for m in merged)
            tail += f'<mergeCells count="{len(merged)}">{cells}</mergeCells>'
        tail += (
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5"'
            ' footer="0.5"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1"'
            ' fitToHeight="0"/></worksheet>'
        )
        tail_bytes = tail.encode()
        spooled = self._spool.tell()
        quoted = "'" + sheet_name.replace("'", "''") + "'"
        workbook = (
            _DECLARATION
            + f'<workbook xmlns="{SPREADSHEET_NS}" xmlns:r="{RELATIONSHIPS_NS}">'
            + '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
            + f'<sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
            + "<definedNames>"
            + '<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            + escape(f"{quoted}!{_absolute(autofilter)}")
            + '</definedName><definedName name="_xlnm.Print_Titles" localSheetId="0">'
            + escape(f"{quoted}!${print_title_row}:${print_title_row}")
            + "</definedName></definedNames></workbook>"
        )
        core = (
            _DECLARATION + "<cp:coreProperties"
            ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
            ' xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            + f"<dc:title>{escape(title)}</dc:title><dc:creator>portal</dc:creator>"
            + f"<dc:language>{escape(language)}</dc:language></cp:coreProperties>"
        )
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
            package.writestr("_rels/.rels", ROOT_RELS_XML)
            package.writestr("docProps/core.xml", core)
            package.writestr("xl/workbook.xml", workbook)
            package.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS_XML)
            package.writestr("xl/styles.xml", STYLES_XML)
            entry = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            # Its size, known in advance, lets zipfile decide on ZIP64 headers (only past
            # 2 GiB: Excel dislikes them on small files).
            entry.file_size = len(head) + spooled + len(tail_bytes)
            with package.open(entry, "w") as sheet:
                sheet.write(head)
                self._spool.seek(0)
                shutil.copyfileobj(self._spool, sheet, 1 << 20)
                sheet.write(tail_bytes)
        self.close()

    def close(self) -> None:
        self._spool.close()


def _absolute(reference: str) -> str:
    """A1:C5 -> $A$1:$C$5."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in reference.split(":"))
