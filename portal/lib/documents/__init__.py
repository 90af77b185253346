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

The package: ``facts`` (kinds, agency, case facts, `Notice`, dates), ``wording`` (the
sentences), ``notices`` (composing and rendering a notice), ``layout`` (the Word building
blocks, also used by the yearly report) and ``text`` (cleaning free text).
"""

from __future__ import annotations

from portal.lib.documents.facts import (
    CASE_KINDS,
    NOTICE_KINDS,
    Agency,
    CaseFacts,
    Notice,
    NoticeKind,
    vn_date,
)
from portal.lib.documents.layout import (
    FONT,
    add_body_paragraph,
    add_grid_table,
    add_header,
    add_heading_line,
    add_salutation,
    add_signature,
    add_title,
    document_bytes,
    new_document,
)
from portal.lib.documents.notices import (
    build_notice,
    compose_notice,
    notice_paragraphs,
    notice_title,
    render_docx,
)
from portal.lib.documents.text import text_lines
from portal.lib.documents.wording import REDACTED

__all__ = [
    "CASE_KINDS",
    "FONT",
    "NOTICE_KINDS",
    "REDACTED",
    "Agency",
    "CaseFacts",
    "Notice",
    "NoticeKind",
    "add_body_paragraph",
    "add_grid_table",
    "add_header",
    "add_heading_line",
    "add_salutation",
    "add_signature",
    "add_title",
    "build_notice",
    "compose_notice",
    "document_bytes",
    "new_document",
    "notice_paragraphs",
    "notice_title",
    "render_docx",
    "text_lines",
    "vn_date",
]
