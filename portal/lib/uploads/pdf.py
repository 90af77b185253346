"""PDF attachments: those with active content (scripts, launch actions, attached files, rich
media) are refused; the others are rewritten page by page without /Info and XMP metadata."""

from __future__ import annotations

import io
from typing import Final

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from portal.lib.uploads.common import UploadRejected

_PDF_ACTIVE_KEYS: Final[frozenset[str]] = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/Launch",
        "/EmbeddedFiles",
        "/EmbeddedFile",
        "/EF",
        "/RichMedia",
        "/RichMediaContent",
    }
)
"""Dictionary keys that mean scripts, launch actions, attached files or rich media."""

_PDF_ACTIVE_NAMES: Final[frozenset[str]] = frozenset(
    {"/JavaScript", "/Launch", "/EmbeddedFile", "/RichMedia"}
)
"""Name values that mean the same: ``/S /JavaScript`` or ``/S /Launch`` actions (e.g. in
/OpenAction or an annotation's /A), ``/Type /EmbeddedFile``, ``/Subtype /RichMedia``."""

_PDF_PAGE_DROPPED_KEYS: Final[tuple[str, ...]] = ("/Metadata", "/PieceInfo")
"""Per-page XMP and application private data, not needed to show the page."""


def _pdf_active_content(start: PdfObject) -> str | None:
    """The first active-content marker reachable from ``start``, or None.

    Walks every dictionary and array (following indirect references once each) without
    decoding streams; pypdf has already undone ``#xx`` escapes in names.
    """
    stack: list[PdfObject] = [start]
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            resolved = obj.get_object()
            if resolved is None:
                continue
            obj = resolved
        if isinstance(obj, DictionaryObject):
            for key, value in dict.items(obj):
                if key in _PDF_ACTIVE_KEYS:
                    return str(key)
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
        elif isinstance(obj, NameObject) and obj in _PDF_ACTIVE_NAMES:
            return str(obj)
    return None


def clean_pdf(data: bytes) -> bytes:
    """Refuse encrypted, unparseable or active PDFs; rewrite the others page by page.

    Only the pages (and what they reference) are copied, so the catalogue's outlines, forms,
    name trees, XMP metadata and /Info do not reach the output.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRejected("corrupt", "encrypted PDF")
        marker = _pdf_active_content(reader.trailer)
        if marker is not None:
            raise UploadRejected("pdf_active_content", marker)
        if len(reader.pages) == 0:
            raise UploadRejected("corrupt", "PDF without pages")
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page, excluded_keys=_PDF_PAGE_DROPPED_KEYS)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except UploadRejected:
        raise
    except Exception as exc:
        # pypdf raises PdfReadError and also plain KeyError/TypeError/ValueError/RecursionError
        # on malformed input: any of them means the file cannot be trusted as a PDF.
        raise UploadRejected("corrupt", f"PDF does not parse: {type(exc).__name__}") from exc
    return out.getvalue()
