"""The Decree 30/2020/NĐ-CP Word building blocks (Appendix I), shared by the notices and the
yearly report (portal/lib/report_documents.py).

A4, margins 20/20/30/15 mm, Times New Roman, a borderless two-column header (issuing body and
number on the left; Quốc hiệu, tiêu ngữ, place and date on the right), a centred title,
"Kính gửi", justified body, then "Nơi nhận" and the signature block, as far as python-docx can
draw them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from io import BytesIO
from typing import Final

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

from portal.lib.documents.text import clean_line

FONT: Final = "Times New Roman"

_TEXT_WIDTH: Final = Mm(210 - 30 - 15)
_HEADER_LEFT: Final = Mm(70)
_FOOTER_LEFT: Final = Mm(80)
_CELL_MARGIN: Final = Mm(1.9)  # Word's default left/right cell margin (0.19 cm)
_CENTER: Final = WD_ALIGN_PARAGRAPH.CENTER
_LEFT: Final = WD_ALIGN_PARAGRAPH.LEFT
_JUSTIFY: Final = WD_ALIGN_PARAGRAPH.JUSTIFY


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
    _borderless(header, (_HEADER_LEFT, Length(_TEXT_WIDTH - _HEADER_LEFT)))
    left, right = header.rows[0].cells
    if parent:
        _write(_cell_paragraph(left), parent, size=12)
    _write(_cell_paragraph(left), agency_name, size=12, bold=True)
    _rule(left, _HEADER_LEFT, Mm(25))
    _write(_cell_paragraph(left), number_line, size=13, space_before=6)
    _write(_cell_paragraph(right), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _write(_cell_paragraph(right), "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _rule(right, Length(_TEXT_WIDTH - _HEADER_LEFT), Mm(60))
    _write(_cell_paragraph(right), place_date, size=13, italic=True, space_before=6)


def add_title(document: DocxDocument, lines: Sequence[str]) -> None:
    """The centred bold title, its first line set apart from the header."""
    for index, line in enumerate(lines):
        space_before = 18 if index == 0 else 0
        _write(document.add_paragraph(), line, size=14, bold=True, space_before=space_before)


def add_salutation(document: DocxDocument, text: str) -> None:
    """The "Kính gửi: …" line between the title and the body."""
    _write(document.add_paragraph(), text, size=14, space_before=12, space_after=12)


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
    table: Table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _write(_cell_paragraph(cell), clean_line(text), size=12, bold=True)
    _insert_in_order(
        table.rows[0]._tr.get_or_add_trPr(),
        OxmlElement("w:tblHeader"),
        ("w:tblCellSpacing", "w:jc", "w:hidden"),
    )
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            align = _LEFT if index == 1 or len(headers) == 1 else _CENTER
            _write(_cell_paragraph(cell), clean_line(text), size=12, align=align)
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
    _borderless(footer, (_FOOTER_LEFT, Length(_TEXT_WIDTH - _FOOTER_LEFT)))
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
    first: Paragraph = paragraphs[0]
    if len(paragraphs) == 1 and not first.runs and not first.text:
        return first
    added: Paragraph = cell.add_paragraph()
    return added


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
